/* loom-sample.c: the sample story shipped in the resources
 *
 * sample-story.ini is a key file: [story] with title, premise and style; [chapter N] with a
 * title; [scene N.M] with an outline, optional prose and status; [character N] with name,
 * optional aliases, traits and backstory. Groups are read in file order and written through
 * the store's API.
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

/* What a [scene N.M] group holds besides the outline row: its status after loading. */
typedef struct
{
  LoomSceneStatus  status;
  char            *error;
} SampleStatus;

static void
sample_status_clear (gpointer data)
{
  g_free (((SampleStatus *) data)->error);
}

typedef struct
{
  GArray    *chapters;  /* LoomOutlineChapter */
  GArray    *scenes;    /* LoomOutlineScene */
  GArray    *statuses;  /* SampleStatus, one per scene */
  GPtrArray *strings;   /* what the rows point into */
} SampleOutline;

static void
sample_outline_clear (SampleOutline *outline)
{
  g_clear_pointer (&outline->chapters, g_array_unref);
  g_clear_pointer (&outline->scenes, g_array_unref);
  g_clear_pointer (&outline->statuses, g_array_unref);
  g_clear_pointer (&outline->strings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SampleOutline, sample_outline_clear)

static const char *
keep_string (SampleOutline *outline,
             char          *string)
{
  if (string != NULL)
    g_ptr_array_add (outline->strings, string);
  return string;
}

static void
read_scene (GKeyFile      *keys,
            const char    *group,
            SampleOutline *outline)
{
  g_autofree char *status = g_key_file_get_string (keys, group, "status", NULL);
  LoomOutlineScene scene = { 0, };
  SampleStatus kept = { LOOM_SCENE_STATUS_DRAFT, NULL };

  scene.chapter = outline->chapters->len - 1;
  scene.outline = keep_string (outline, g_key_file_get_locale_string (keys, group, "outline",
                                                                      NULL, NULL));
  if (scene.outline == NULL)
    scene.outline = "";
  scene.prose = keep_string (outline, g_key_file_get_locale_string (keys, group, "prose",
                                                                    NULL, NULL));
  if (status == NULL || !loom_scene_status_from_string (status, &kept.status))
    kept.status = LOOM_SCENE_STATUS_DRAFT;
  kept.error = g_key_file_get_locale_string (keys, group, "error", NULL, NULL);
  g_array_append_val (outline->scenes, scene);
  g_array_append_val (outline->statuses, kept);
}

/* Chapters and scenes in file order; a scene before any chapter is left out. */
static void
read_outline (GKeyFile      *keys,
              GStrv          groups,
              SampleOutline *outline)
{
  outline->chapters = g_array_new (FALSE, TRUE, sizeof (LoomOutlineChapter));
  outline->scenes = g_array_new (FALSE, TRUE, sizeof (LoomOutlineScene));
  outline->statuses = g_array_new (FALSE, TRUE, sizeof (SampleStatus));
  g_array_set_clear_func (outline->statuses, sample_status_clear);
  outline->strings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_has_prefix (groups[i], "chapter "))
        {
          LoomOutlineChapter chapter = { NULL };

          chapter.title = keep_string (outline, g_key_file_get_locale_string (keys, groups[i],
                                                                              "title", NULL,
                                                                              NULL));
          if (chapter.title == NULL)
            chapter.title = "";
          g_array_append_val (outline->chapters, chapter);
        }
      else if (g_str_has_prefix (groups[i], "scene ") && outline->chapters->len > 0)
        read_scene (keys, groups[i], outline);
    }
}

/* The statuses other than draft, in the order the scenes were added. */
static gboolean
apply_statuses (LoomStory      *story,
                SampleOutline  *outline,
                GError        **error)
{
  GListModel *chapters = loom_story_get_chapters (story);
  guint k = 0;

  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint j = 0; j < g_list_model_get_n_items (scenes) && k < outline->statuses->len;
           j++, k++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, j);
          SampleStatus *kept = &g_array_index (outline->statuses, SampleStatus, k);

          if (kept->status != LOOM_SCENE_STATUS_DRAFT &&
              !loom_scene_set_status (scene, kept->status, kept->error, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_characters (LoomStore   *store,
                LoomStory   *story,
                GKeyFile    *keys,
                GStrv        groups,
                GError     **error)
{
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *traits = NULL;
      g_autofree char *backstory = NULL;
      g_autofree char *aliases = NULL;
      LoomCharacter *character;

      if (!g_str_has_prefix (groups[i], "character "))
        continue;
      name = g_key_file_get_locale_string (keys, groups[i], "name", NULL, NULL);
      traits = g_key_file_get_locale_string (keys, groups[i], "traits", NULL, NULL);
      backstory = g_key_file_get_locale_string (keys, groups[i], "backstory", NULL, NULL);
      aliases = g_key_file_get_locale_string (keys, groups[i], "aliases", NULL, NULL);
      /* the short names the story calls them by: a word of a name is not one by itself */
      if ((character = loom_store_add_character (store, story, name ? name : "",
                                                 traits ? traits : "", backstory,
                                                 error)) == NULL ||
          (aliases != NULL && !loom_character_set_aliases (character, aliases, error)))
        return FALSE;
    }
  return TRUE;
}

/* Reads the story into STORE; on a failure midway the half-made story is deleted again. The
 * chapters and scenes go in as one outline, as an import does, so that the sample's prose is
 * not counted in the word log as words the writer wrote today. */
LoomStory *
loom_sample_load (LoomStore  *store,
                  GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  g_auto(SampleOutline) outline = { NULL, };
  g_autofree char *title = NULL;
  g_autofree char *premise = NULL;
  g_autofree char *style = NULL;
  g_autoptr(GError) local_error = NULL;
  LoomStory *story;

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
  groups = g_key_file_get_groups (keys, NULL);
  read_outline (keys, groups, &outline);

  story = loom_store_create_story (store, title, premise, style, error);
  if (story == NULL)
    return NULL;

  if (!loom_store_add_outline (store, story,
                               (LoomOutlineChapter *) (gpointer) outline.chapters->data,
                               outline.chapters->len,
                               (LoomOutlineScene *) (gpointer) outline.scenes->data,
                               outline.scenes->len, &local_error) ||
      !apply_statuses (story, &outline, &local_error) ||
      !add_characters (store, story, keys, groups, &local_error))
    {
      loom_store_discard_story (store, story, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return story;
}
