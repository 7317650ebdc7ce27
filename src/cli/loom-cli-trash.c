/* loom-cli-trash.c: trash list, trash restore ID, trash empty
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-trash"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-deletion.h"
#include "loom-manuscript.h"
#include "loom-store.h"

#define TRASH_USAGE N_("Usage: trash list | trash restore TRASH_ID | trash empty")

static const char *
kind_name (LoomTrashKind kind)
{
  switch (kind)
    {
    case LOOM_TRASH_STORY:
      return "story";
    case LOOM_TRASH_CHAPTER:
      return "chapter";
    case LOOM_TRASH_SCENE:
      return "scene";
    case LOOM_TRASH_ENTRY:
      return "entry";
    case LOOM_TRASH_CHARACTER:
    default:
      return "character";
    }
}

/* One tab-separated line per deletion, the most recent first: id, kind, title, story,
 * when (local time), and what went with it. */
static int
list_trash (LoomStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trash = loom_store_list_trash (store, &error);

  if (trash == NULL)
    return loom_cli_user_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (trash); i++)
    {
      g_autoptr(LoomDeletion) deletion = g_list_model_get_item (trash, i);
      g_autoptr(GDateTime) when =
        g_date_time_new_from_unix_local (loom_deletion_get_deleted_at (deletion) / 1000);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d %H:%M");
      g_autofree char *title = loom_manuscript_one_line (loom_deletion_get_title (deletion));
      g_autofree char *story = loom_manuscript_one_line (loom_deletion_get_story_title (deletion));
      g_autofree char *contents = loom_deletion_describe_contents (deletion);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", loom_deletion_get_id (deletion),
               kind_name (loom_deletion_get_kind (deletion)), title, story, date, contents);
    }
  return LOOM_CLI_OK;
}

int
loom_cli_trash (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  gint64 id = 0;

  if (argc < 2 ||
      !((g_str_equal (argv[1], "list") && argc == 2) ||
        (g_str_equal (argv[1], "empty") && argc == 2) ||
        (g_str_equal (argv[1], "restore") && argc == 3 && loom_cli_parse_id (argv[2], &id))))
    return loom_cli_usage_error (_(TRASH_USAGE));

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);

  if (g_str_equal (argv[1], "list"))
    return list_trash (store);

  if (g_str_equal (argv[1], "restore"))
    {
      if (loom_store_restore_from_trash (store, id, &error) == NULL)
        return loom_cli_user_error (error);
      return LOOM_CLI_OK;
    }

  if (!loom_store_empty_trash (store, &error))
    return loom_cli_user_error (error);
  return LOOM_CLI_OK;
}
