/* loom-cli-summarize.c: summarize (--scene ID | --story ID), scene summaries by the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-summarize"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-cli.h"
#include "loom-generator.h"
#include "loom-scene.h"
#include "loom-store-summaries.h"

static gboolean
summarize_one (LoomGenerator  *generator,
               LoomScene      *scene,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  loom_generator_summarize_scene_async (generator, scene, NULL, loom_cli_store_result_cb,
                                        &result);
  loom_cli_wait_for (&result);
  return loom_generator_summarize_scene_finish (generator, result, error);
}

/* The scenes to summarise, in story order: the one named, or those of the story that have
 * prose and no summary, or an outdated generated one. */
static GPtrArray *
scenes_to_summarize (LoomStore  *store,
                     gboolean    whole_story,
                     gint64      id,
                     int        *status,
                     GError    **error)
{
  GPtrArray *scenes;

  if (!whole_story)
    {
      LoomScene *scene = loom_store_lookup_scene (store, id);

      if (scene == NULL)
        {
          *status = loom_cli_not_found (LOOM_CLI_SCENE, id);
          return NULL;
        }
      scenes = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (scenes, g_object_ref (scene));
      return scenes;
    }
  if (loom_store_lookup_story (store, id) == NULL)
    {
      *status = loom_cli_not_found (LOOM_CLI_STORY, id);
      return NULL;
    }
  scenes = loom_store_list_unsummarized (store, loom_store_lookup_story (store, id), error);
  if (scenes == NULL)
    *status = loom_cli_user_error (*error);
  return scenes;
}

/* One estimate for all the requests, as the window's Summarize Story shows. */
static int
confirm_all (LoomGenerator *generator,
             GPtrArray     *scenes,
             gboolean       yes)
{
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  LoomPaidAction action = { LOOM_PAID_SUMMARY, NULL, NULL, NULL, 0, NULL };
  int status;

  for (guint i = 0; i < scenes->len; i++)
    {
      g_autoptr(GError) error = NULL;

      action.scene = g_ptr_array_index (scenes, i);
      /* a scene that cannot be asked about fails the same way below, before sending */
      if (!loom_generator_estimate_action (generator, &action, &estimate, &error))
        g_debug ("No estimate: %s", error->message);
    }
  status = loom_cli_confirm_estimate (generator, &estimate, yes);
  loom_estimate_clear (&estimate);
  return status;
}

static gboolean
parse_target (int        argc,
              char     **argv,
              gboolean  *whole_story,
              gint64    *id,
              gboolean  *yes)
{
  *yes = argc == 4 && g_str_equal (argv[3], "--yes");
  if ((argc != 3 && !*yes) || !loom_cli_parse_id (argv[2], id))
    return FALSE;
  *whole_story = g_str_equal (argv[1], "--story");
  return *whole_story || g_str_equal (argv[1], "--scene");
}

/**
 * loom_cli_summarize:
 *
 * One request per scene, one after the other, each a row of `generations`. Progress goes to
 * stderr, one line a scene; the first failure stops the run (what was summarised is kept).
 */
int
loom_cli_summarize (const LoomCliOptions  *options,
                    int                    argc,
                    char                 **argv)
{
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomGenerator) generator = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean whole_story = FALSE;
  gboolean yes = FALSE;
  int status = LOOM_CLI_ERROR;
  gint64 id = 0;

  if (!parse_target (argc, argv, &whole_story, &id, &yes))
    return loom_cli_usage_error (_("Usage: storyloom-cli summarize (--scene SCENE_ID | "
                                   "--story STORY_ID) [--yes]"));

  if ((store = loom_cli_open_store (options, &error)) == NULL)
    return loom_cli_user_error (error);
  if ((scenes = scenes_to_summarize (store, whole_story, id, &status, &error)) == NULL)
    return status;
  if (scenes->len == 0)
    {
      g_print ("%s\n", _("Every scene with prose has a current summary."));
      return LOOM_CLI_OK;
    }

  generator = loom_cli_new_generator (options, store, &error);
  if (generator == NULL)
    return loom_cli_user_error (error);
  if ((status = confirm_all (generator, scenes, yes)) != LOOM_CLI_OK)
    return status;

  for (guint i = 0; i < scenes->len; i++)
    {
      LoomScene *scene = g_ptr_array_index (scenes, i);

      if (!summarize_one (generator, scene, &error))
        return loom_cli_user_error (error);
      /* TRANSLATORS: progress: "Summarized scene 2.3 (4 of 10)." */
      g_printerr (_("Summarized scene %u.%u (%u of %u).\n"),
                  loom_chapter_get_number (loom_scene_get_chapter (scene)),
                  loom_scene_get_number (scene), i + 1, scenes->len);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Summarized %u scene.\n", "Summarized %u scenes.\n",
                        scenes->len),
           scenes->len);
  return LOOM_CLI_OK;
}
