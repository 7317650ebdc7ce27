/* loom-cli-revise.c: storyloom-cli revise — the AI on a passage of a scene's prose
 *
 * Prints the proposed change as a word diff ([-removed-]{+added+}, as `git diff --word-diff`
 * shows it); with --apply, makes all of it, keeping the prose before as a revision. Positions
 * count characters of the prose, from 0, so that they do not depend on its encoding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-revise"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-generator.h"
#include "loom-revise.h"
#include "loom-scene.h"
#include "loom-store.h"

typedef struct
{
  gint64             scene_id;
  LoomReviseRequest  request;
  const char        *from;
  const char        *to;
  gboolean           apply;
  gboolean           yes;    /* the estimate is accepted, whatever the threshold */
} ReviseArgs;

static gboolean
parse_count (const char *text,
             guint64     max,
             guint64    *value)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

/* Returns: LOOM_CLI_OK, or LOOM_CLI_USAGE after saying why */
static int
parse_args (int          argc,
            char       **argv,
            ReviseArgs  *args)
{
  const char *usage = _("Usage: storyloom-cli revise SCENE_ID --action "
                        "rewrite|expand|shorten|describe|continue|ask [--from N --to M] "
                        "[--instruction TEXT] [--words N] [--context TOKENS] [--apply] [--yes]");
  const char *action = NULL;

  if (argc < 2 || !loom_cli_parse_id (argv[1], &args->scene_id))
    return loom_cli_usage_error (usage);

  for (int i = 2; i < argc; i++)
    {
      const char *value = NULL;
      guint64 number;

      if (g_str_equal (argv[i], "--apply"))
        args->apply = TRUE;
      else if (g_str_equal (argv[i], "--yes"))
        args->yes = TRUE;
      else if (loom_cli_match_option (argc, argv, &i, "--action", &value))
        action = value;
      else if (loom_cli_match_option (argc, argv, &i, "--from", &value))
        args->from = value;
      else if (loom_cli_match_option (argc, argv, &i, "--to", &value))
        args->to = value;
      else if (loom_cli_match_option (argc, argv, &i, "--instruction", &value) && value != NULL)
        args->request.extra = value;
      else if (loom_cli_match_option (argc, argv, &i, "--words", &value) &&
               parse_count (value, LOOM_REVISE_MAX_CONTINUE, &number) && number > 0)
        args->request.continue_words = number;
      else if (loom_cli_match_option (argc, argv, &i, "--context", &value) &&
               parse_count (value, G_MAXINT32, &number) && number > 0)
        args->request.context_tokens = number;
      else
        return loom_cli_usage_error (usage);
    }
  if (action == NULL || !loom_revise_action_from_string (action, &args->request.action) ||
      (args->from == NULL) != (args->to == NULL))
    return loom_cli_usage_error (usage);
  return LOOM_CLI_OK;
}

/* Character positions to bytes of @prose; FALSE with a sentence when outside it. */
static gboolean
resolve_range (const ReviseArgs   *args,
               const char         *prose,
               LoomReviseRequest  *request,
               GError            **error)
{
  glong n_chars = g_utf8_strlen (prose, -1);
  guint64 from = 0;
  guint64 to = n_chars;

  if (args->from != NULL &&
      (!parse_count (args->from, n_chars, &from) || !parse_count (args->to, n_chars, &to) ||
       from > to))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "--from and --to must be positions in the scene's prose, from 0 "
                                "to its length of %ld character, --from not after --to.",
                                "--from and --to must be positions in the scene's prose, from 0 "
                                "to its length of %ld characters, --from not after --to.",
                                n_chars),
                   n_chars);
      return FALSE;
    }
  /* Continue without a position writes at the end. */
  if (args->from == NULL && request->action == LOOM_REVISE_CONTINUE)
    from = to;
  request->from = g_utf8_offset_to_pointer (prose, from) - prose;
  request->to = g_utf8_offset_to_pointer (prose, to) - prose;
  return TRUE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_printerr (_("Stopping: the scene's prose is left as it was.\n"));
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
print_usage (LoomReview *review)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double cost = loom_review_get_cost (review);
  guint n = loom_review_get_n_changes (review);

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u change proposed", "%u changes proposed", n), n);
  if (loom_review_get_completion_tokens (review) >= 0)
    {
      g_autofree char *prompt = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 loom_review_get_prompt_tokens (review));
      g_autofree char *answer = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 loom_review_get_completion_tokens (review));

      /* TRANSLATORS: tokens sent + tokens received */
      g_printerr (_(", %s + %s tokens"), prompt, answer);
    }
  if (cost >= 0)
    g_printerr (_(", $%s"), g_ascii_formatd (buffer, sizeof buffer, "%.6f", cost));
  g_printerr ("\n");
  if (loom_review_get_cut_off (review))
    g_printerr (_("The answer stopped at the model's length limit: its end is missing, so the "
                  "end of the passage shows as removed.\n"));
}

static int
run_revise (const LoomCliOptions *options,
            ReviseArgs           *args)
{
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomGenerator) generator = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LoomReview) review = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *diff = NULL;
  LoomPaidAction action = { LOOM_PAID_REVISE, NULL, NULL, NULL, 0, NULL };
  LoomScene *scene;
  guint sigint_id;
  int status;

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  scene = loom_store_lookup_scene (store, args->scene_id);
  if (scene == NULL)
    return loom_cli_not_found (LOOM_CLI_SCENE, args->scene_id);
  if (!loom_scene_load_prose (scene, &error) ||
      !resolve_range (args, loom_scene_get_prose (scene) ? loom_scene_get_prose (scene) : "",
                      &args->request, &error))
    return loom_cli_user_error (error);

  /* The model's context length, for refusing a passage too long for it, and its prices */
  generator = loom_cli_new_generator (options, store, &error);
  if (generator == NULL)
    return loom_cli_user_error (error);
  action.scene = scene;
  action.revise = &args->request;
  if ((status = loom_cli_confirm_action (generator, &action, args->yes)) != LOOM_CLI_OK)
    return status;

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  loom_generator_revise_async (generator, scene, &args->request, NULL, NULL, cancellable,
                               loom_cli_store_result_cb, &result);
  loom_cli_wait_for (&result);
  g_source_remove (sigint_id);
  review = loom_generator_revise_finish (generator, result, &error);
  if (review == NULL)
    return loom_cli_user_error (error);

  diff = loom_review_format_diff (review);
  g_print ("%s\n", diff);
  print_usage (review);
  if (!args->apply)
    return LOOM_CLI_OK;

  loom_review_set_all (review, LOOM_CHANGE_ACCEPTED);
  if (!loom_review_apply (review, &error))
    return loom_cli_user_error (error);
  if (loom_review_get_n_changes (review) > 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, args->scene_id);

      g_printerr (_("Applied. The prose before is kept as a revision (storyloom-cli revisions "
                    "%s).\n"), id);
    }
  return LOOM_CLI_OK;
}

int
loom_cli_revise (const LoomCliOptions  *options,
                 int                    argc,
                 char                 **argv)
{
  ReviseArgs args = { .request = LOOM_REVISE_REQUEST_INIT };
  int status = parse_args (argc, argv, &args);

  if (status != LOOM_CLI_OK)
    return status;
  return run_revise (options, &args);
}
