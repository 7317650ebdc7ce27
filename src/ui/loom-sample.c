/* loom-sample.c: the sample story shipped in the resources
 *
 * sample-story.ini is a key file: [story] with title, premise and style; [chapter N] with a
 * title; [scene N.M] with an outline, optional prose and status; [character N] with name,
 * traits and backstory. Groups are read in file order and written through the store's API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-sample"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-sample.h"
#include "loom-scene.h"
#include "loom-story.h"

#define SAMPLE_RESOURCE "/io/github/storyloom/Storyloom/sample-story.ini"

/* Reads the story into STORE; on a failure midway the half-made story is deleted again. */
LoomStory *
loom_sample_load (LoomStore  *store,
                  GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  g_autofree char *title = NULL;
  g_autofree char *premise = NULL;
  g_autofree char *style = NULL;
  g_autoptr(GError) local_error = NULL;
  LoomStory *story;
  LoomChapter *chapter = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);

  bytes = g_resources_lookup_data (SAMPLE_RESOURCE, 0, error);
  if (bytes == NULL ||
      !g_key_file_load_from_bytes (keys, bytes, G_KEY_FILE_NONE, error))
    return NULL;

  title = g_key_file_get_locale_string (keys, "story", "title", NULL, error);
  if (title == NULL)
    return NULL;
  premise = g_key_file_get_locale_string (keys, "story", "premise", NULL, NULL);
  style = g_key_file_get_locale_string (keys, "story", "style", NULL, NULL);

  story = loom_store_create_story (store, title, premise, style, error);
  if (story == NULL)
    return NULL;

  groups = g_key_file_get_groups (keys, NULL);
  for (guint i = 0; groups[i] != NULL && local_error == NULL; i++)
    {
      const char *group = groups[i];

      if (g_str_has_prefix (group, "chapter "))
        {
          g_autofree char *chapter_title = g_key_file_get_locale_string (keys, group, "title",
                                                                         NULL, NULL);
          chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END,
                                            chapter_title ? chapter_title : "", &local_error);
        }
      else if (g_str_has_prefix (group, "scene ") && chapter != NULL)
        {
          g_autofree char *outline = g_key_file_get_locale_string (keys, group, "outline",
                                                                   NULL, NULL);
          g_autofree char *prose = g_key_file_get_locale_string (keys, group, "prose", NULL, NULL);
          g_autofree char *status = g_key_file_get_string (keys, group, "status", NULL);
          LoomSceneStatus value = LOOM_SCENE_STATUS_DRAFT;
          LoomScene *scene;

          scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END,
                                        outline ? outline : "", &local_error);
          if (scene != NULL && prose != NULL)
            loom_scene_set_prose (scene, prose, &local_error);
          if (scene != NULL && local_error == NULL && status != NULL &&
              loom_scene_status_from_string (status, &value) && value != LOOM_SCENE_STATUS_DRAFT)
            {
              g_autofree char *message = g_key_file_get_locale_string (keys, group, "error",
                                                                       NULL, NULL);
              loom_scene_set_status (scene, value, message, &local_error);
            }
        }
      else if (g_str_has_prefix (group, "character "))
        {
          g_autofree char *name = g_key_file_get_locale_string (keys, group, "name", NULL, NULL);
          g_autofree char *traits = g_key_file_get_locale_string (keys, group, "traits",
                                                                  NULL, NULL);
          g_autofree char *backstory = g_key_file_get_locale_string (keys, group, "backstory",
                                                                     NULL, NULL);

          loom_store_add_character (store, story, name ? name : "", traits ? traits : "",
                                    backstory, &local_error);
        }
    }

  if (local_error != NULL)
    {
      loom_store_discard_story (store, story, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return story;
}
