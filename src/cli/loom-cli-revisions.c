/* loom-cli-revisions.c: revisions SCENE_ID, revision show ID, revision restore ID
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-revisions"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "loom-cli.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"

#define REVISIONS_USAGE N_("Usage: revisions SCENE_ID [--json]")
#define REVISION_USAGE N_("Usage: revision show REVISION_ID | revision restore REVISION_ID")

/* When the text was written; a revision from before the library recorded that has only the
 * time it was kept. */
static gint64
written_at (LoomRevision *revision)
{
  gint64 written = loom_revision_get_written_at (revision);

  return written > 0 ? written : loom_revision_get_created_at (revision);
}

static const char *
author_name (LoomRevision *revision)
{
  const char *name = loom_prose_origin_to_string (loom_revision_get_author (revision));

  return name != NULL ? name : "unknown";
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (when, "%Y-%m-%d %H:%M");
}

static char *
revisions_to_json (GListModel *revisions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
    {
      g_autoptr(LoomRevision) revision = g_list_model_get_item (revisions, i);
      const char *model = loom_revision_get_model (revision);

      json_builder_begin_object (builder);
      loom_cli_json_add_int (builder, "id", loom_revision_get_id (revision));
      loom_cli_json_add_int (builder, "written_at", written_at (revision));
      loom_cli_json_add_int (builder, "kept_at", loom_revision_get_created_at (revision));
      loom_cli_json_add_string (builder, "author", author_name (revision));
      loom_cli_json_add_string (builder, "model", model != NULL && *model != '\0' ? model : NULL);
      loom_cli_json_add_int (builder, "words", loom_revision_get_word_count (revision));
      loom_cli_json_add_string (builder, "kept_because",
                                loom_revision_origin_to_string (
                                  loom_revision_get_origin (revision)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

/* One tab-separated line per revision, the newest first: id, when written, who wrote it, the
 * model ("-" for none), words, and why it was kept. */
static void
print_revisions (GListModel *revisions)
{
  for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
    {
      g_autoptr(LoomRevision) revision = g_list_model_get_item (revisions, i);
      g_autofree char *date = format_time (written_at (revision));
      const char *model = loom_revision_get_model (revision);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%u\t%s\n", loom_revision_get_id (revision),
               date, author_name (revision),
               model != NULL && *model != '\0' ? model : "-",
               loom_revision_get_word_count (revision),
               loom_revision_origin_to_string (loom_revision_get_origin (revision)));
    }
}

int
loom_cli_revisions (const LoomCliOptions *options,
                    int                   argc,
                    char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GListModel) revisions = NULL;
  gboolean json = FALSE;
  const char *id_text = NULL;
  LoomScene *scene;
  gint64 id = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json") && !json)
        json = TRUE;
      else if (id_text == NULL && argv[i][0] != '-')
        id_text = argv[i];
      else
        return loom_cli_usage_error (_(REVISIONS_USAGE));
    }
  if (!loom_cli_parse_id (id_text, &id))
    return loom_cli_usage_error (_(REVISIONS_USAGE));

  if ((store = loom_cli_open_store (options, &error)) == NULL)
    return loom_cli_user_error (error);
  if ((scene = loom_store_lookup_scene (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_SCENE, id);
  if ((revisions = loom_store_list_revisions (store, scene, &error)) == NULL)
    return loom_cli_user_error (error);

  if (json)
    {
      g_autofree char *text = revisions_to_json (revisions);
      g_print ("%s\n", text);
    }
  else
    print_revisions (revisions);
  return LOOM_CLI_OK;
}

int
loom_cli_revision (const LoomCliOptions *options,
                   int                   argc,
                   char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomRevision) revision = NULL;
  LoomScene *scene;
  gint64 id = 0;

  if (argc != 3 || !(g_str_equal (argv[1], "show") || g_str_equal (argv[1], "restore")) ||
      !loom_cli_parse_id (argv[2], &id))
    return loom_cli_usage_error (_(REVISION_USAGE));

  if ((store = loom_cli_open_store (options, &error)) == NULL ||
      (revision = loom_store_lookup_revision (store, id, &error)) == NULL)
    return loom_cli_user_error (error);

  if (g_str_equal (argv[1], "show"))
    {
      g_print ("%s", loom_revision_get_prose (revision));
      return LOOM_CLI_OK;
    }

  /* the prose it replaces becomes a revision of its own, as in the window's History */
  scene = loom_store_lookup_scene (store, loom_revision_get_scene_id (revision));
  if (scene == NULL)
    return loom_cli_not_found (LOOM_CLI_SCENE, loom_revision_get_scene_id (revision));
  if (!loom_store_restore_revision (store, scene, revision, &error))
    return loom_cli_user_error (error);
  return LOOM_CLI_OK;
}
