/* loom-cli.h: the storyloom-cli command groups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "loom-ai-client.h"
#include "loom-paid-action.h"
#include "loom-store.h"

G_BEGIN_DECLS

/* Exit codes are part of the command-line contract. */
enum {
  LOOM_CLI_OK = 0,
  LOOM_CLI_ERROR = 1, /* a user error: one sentence on stderr */
  LOOM_CLI_USAGE = 2, /* bad usage */
  LOOM_CLI_OVER_BUDGET = 3, /* a spending limit refused a request: nothing more was sent */
  LOOM_CLI_NEEDS_CONFIRMATION = 4, /* the estimate is above the library's threshold and
                                    * --yes was not given: nothing was sent */
};

typedef struct
{
  const char *db_path;  /* NULL: the default library */
  const char *api_base; /* NULL: settings / environment */
  const char *model;    /* NULL: settings / environment */
} LoomCliOptions;

/* Each takes the words after the global options; argv[0] is the command's own name. */
int loom_cli_store (const LoomCliOptions *options, int argc, char **argv);
int loom_cli_toon  (int argc, char **argv);
/* models, generate, outline, characters, prompt, usage */
int loom_cli_ai    (const LoomCliOptions *options, int argc, char **argv);
gboolean loom_cli_is_ai_command (const char *name);
/* revise SCENE_ID --action … (issue 15, loom-cli-revise.c) */
int loom_cli_revise (const LoomCliOptions *options, int argc, char **argv);
/* export STORY_ID …, import FILE … (issue 7) */
int loom_cli_export (const LoomCliOptions *options, int argc, char **argv);
int loom_cli_import (const LoomCliOptions *options, int argc, char **argv);
/* restore-backup: the newest intact backup in the place of a damaged library (issue 10) */
int loom_cli_restore_backup (const LoomCliOptions *options, int argc, char **argv);
/* trash list | restore ID | empty (issue 13) */
int loom_cli_trash  (const LoomCliOptions *options, int argc, char **argv);
/* revisions SCENE_ID [--json]; revision show ID | restore ID (issue 13) */
int loom_cli_revisions (const LoomCliOptions *options, int argc, char **argv);
int loom_cli_revision  (const LoomCliOptions *options, int argc, char **argv);
/* stats STORY_ID [--days N]: words written and accepted per day (issue 17) */
int loom_cli_stats     (const LoomCliOptions *options, int argc, char **argv);
/* budget [STORY_ID] [--limit USD|none] [--monthly USD|none] (issue 18, loom-cli-budget.c) */
int loom_cli_budget    (const LoomCliOptions *options, int argc, char **argv);
/* goal STORY_ID [--target N] [--deadline DAY] [--daily N]: sets and shows goals (issue 17) */
int loom_cli_goal      (const LoomCliOptions *options, int argc, char **argv);
/* search STORY_ID QUERY [--whole-word] [--case]: matches in outlines and prose (issue 17) */
int loom_cli_search    (const LoomCliOptions *options, int argc, char **argv);
/* replace STORY_ID QUERY REPLACEMENT [--whole-word] [--case]: Replace All in the prose */
int loom_cli_replace   (const LoomCliOptions *options, int argc, char **argv);
/* spell languages | language STORY_ID [LANG] | check SCENE_ID (issue 17, loom-cli-spell.c) */
int loom_cli_spell     (const LoomCliOptions *options, int argc, char **argv);
/* settings [--context-budget TOKENS|auto]: the library's settings (issue 16) */
int loom_cli_settings  (const LoomCliOptions *options, int argc, char **argv);
/* summarize (--scene ID | --story ID): scene summaries by the model (issue 16) */
int loom_cli_summarize (const LoomCliOptions *options, int argc, char **argv);
/* provenance STORY_ID [--json | --markdown]: who wrote the story's words (issue 18) */
int loom_cli_provenance (const LoomCliOptions *options, int argc, char **argv);

typedef enum
{
  LOOM_CLI_STORY,
  LOOM_CLI_CHAPTER,
  LOOM_CLI_SCENE,
  LOOM_CLI_CHARACTER,
} LoomCliThing;

/* loom-cli-util.c */
int        loom_cli_not_found    (LoomCliThing           thing,
                                  gint64                 id);
void       loom_cli_print_error  (const char            *message);
int        loom_cli_usage_error  (const char            *message);
int        loom_cli_user_error   (const GError          *error);
gboolean   loom_cli_parse_id     (const char            *text,
                                  gint64                *id);
LoomStore *loom_cli_open_store   (const LoomCliOptions  *options,
                                  GError               **error);
LoomStory *loom_cli_open_story   (const LoomCliOptions  *options,
                                  gint64                 story_id,
                                  LoomStore            **store,
                                  int                   *status);
/* A member of the JSON object being built; a %NULL string is null. */
void       loom_cli_json_add_int (JsonBuilder           *builder,
                                  const char            *name,
                                  gint64                 value);
void       loom_cli_json_add_string (JsonBuilder        *builder,
                                  const char            *name,
                                  const char            *value);
gboolean   loom_cli_match_option (int                    argc,
                                  char                 **argv,
                                  int                   *i,
                                  const char            *name,
                                  const char           **value);

/* loom-cli-ai.c: for the commands that ask the model */
LoomAiClient *loom_cli_make_client     (const LoomCliOptions  *options);
gboolean   loom_cli_find_key     (LoomAiClient          *client,
                                  GError               **error);
void       loom_cli_store_result_cb (GObject            *object,
                                  GAsyncResult          *result,
                                  gpointer               user_data);
void       loom_cli_wait_for     (GAsyncResult         **result);
void       loom_cli_refresh_models (LoomStore           *store,
                                  LoomAiClient          *client);
LoomGenerator *loom_cli_new_generator (const LoomCliOptions *options,
                                  LoomStore             *store,
                                  GError               **error);

/* loom-cli-cost.c: before a paid command sends anything. Prints the estimate on stderr; returns
 * LOOM_CLI_NEEDS_CONFIRMATION after saying why when it is above the library's threshold and
 * not @yes, else LOOM_CLI_OK. */
int        loom_cli_confirm_estimate (LoomGenerator      *generator,
                                  const LoomEstimate    *estimate,
                                  gboolean               yes);
int        loom_cli_confirm_action (LoomGenerator       *generator,
                                  const LoomPaidAction  *action,
                                  gboolean               yes);

G_END_DECLS
