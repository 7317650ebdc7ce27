/* loom-cli-provenance.c: provenance STORY_ID [--json | --markdown] (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-provenance"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "loom-cli.h"
#include "loom-store-provenance.h"

#define PROVENANCE_USAGE N_("Usage: provenance STORY_ID [--json | --markdown]")

typedef enum
{
  FORMAT_TABS,
  FORMAT_JSON,
  FORMAT_MARKDOWN,
} Format;

static gboolean
parse_args (int      argc,
            char   **argv,
            gint64  *story_id,
            Format  *format)
{
  gboolean have_id = FALSE;

  *format = FORMAT_TABS;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json") && *format == FORMAT_TABS)
        *format = FORMAT_JSON;
      else if (g_str_equal (argv[i], "--markdown") && *format == FORMAT_TABS)
        *format = FORMAT_MARKDOWN;
      else if (!have_id && loom_cli_parse_id (argv[i], story_id))
        have_id = TRUE;
      else
        return FALSE;
    }
  return have_id;
}

static void
add_words (JsonBuilder         *builder,
           const LoomWordTally *words)
{
  loom_cli_json_add_int (builder, "writer", words->writer);
  loom_cli_json_add_int (builder, "generated_kept", words->kept);
  loom_cli_json_add_int (builder, "generated_edited", words->edited);
  loom_cli_json_add_int (builder, "unknown", words->unknown);
}

static void
add_cost (JsonBuilder *builder,
          double       cost,
          guint        unpriced)
{
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, cost);
  loom_cli_json_add_int (builder, "unpriced_requests", unpriced);
}

static void
add_chapters (JsonBuilder          *builder,
              const LoomDisclosure *report)
{
  json_builder_set_member_name (builder, "chapters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->chapters->len; i++)
    {
      const LoomDisclosureChapter *c = &g_array_index (report->chapters,
                                                       LoomDisclosureChapter, i);

      json_builder_begin_object (builder);
      loom_cli_json_add_int (builder, "number", c->number);
      loom_cli_json_add_string (builder, "title", c->title);
      add_words (builder, &c->words);
      add_cost (builder, c->cost, c->unpriced);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_models (JsonBuilder          *builder,
            const LoomDisclosure *report)
{
  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->models->len; i++)
    {
      const LoomDisclosureModel *m = &g_array_index (report->models, LoomDisclosureModel, i);

      json_builder_begin_object (builder);
      loom_cli_json_add_string (builder, "model", m->model);
      loom_cli_json_add_int (builder, "requests", m->requests);
      loom_cli_json_add_int (builder, "generated_words", m->words);
      add_cost (builder, m->cost, m->unpriced);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
report_to_json (const LoomDisclosure *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  loom_cli_json_add_string (builder, "title", report->title);
  add_words (builder, &report->words);
  add_cost (builder, report->cost, report->unpriced);
  loom_cli_json_add_int (builder, "unattributed_generated_words", report->unattributed);
  add_chapters (builder, report);
  add_models (builder, report);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

static char *
format_cost (double cost)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6f", cost));
}

/* Tab-separated: per chapter "chapter", number, title, then the words written by the writer,
 * generated and kept, generated and edited, unknown, and the cost; "total" likewise without
 * number and title; per model "model", id, requests, generated words in the text, cost. */
static void
print_tabs (const LoomDisclosure *report)
{
  g_autofree char *total_cost = format_cost (report->cost);

  for (guint i = 0; i < report->chapters->len; i++)
    {
      const LoomDisclosureChapter *c = &g_array_index (report->chapters,
                                                       LoomDisclosureChapter, i);
      g_autofree char *cost = format_cost (c->cost);

      g_print ("chapter\t%u\t%s\t%u\t%u\t%u\t%u\t%s\n", c->number, c->title, c->words.writer,
               c->words.kept, c->words.edited, c->words.unknown, cost);
    }
  g_print ("total\t\t\t%u\t%u\t%u\t%u\t%s\n", report->words.writer, report->words.kept,
           report->words.edited, report->words.unknown, total_cost);
  for (guint i = 0; i < report->models->len; i++)
    {
      const LoomDisclosureModel *m = &g_array_index (report->models, LoomDisclosureModel, i);
      g_autofree char *cost = format_cost (m->cost);

      g_print ("model\t%s\t%u\t%u\t%s\n", m->model, m->requests, m->words, cost);
    }
}

int
loom_cli_provenance (const LoomCliOptions *options,
                     int                   argc,
                     char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomDisclosure) report = NULL;
  LoomStory *story;
  int status = 0;
  gint64 story_id = 0;
  Format format;

  if (!parse_args (argc, argv, &story_id, &format))
    return loom_cli_usage_error (_(PROVENANCE_USAGE));

  if ((story = loom_cli_open_story (options, story_id, &store, &status)) == NULL)
    return status;

  report = loom_store_get_disclosure (store, story, &error);
  if (report == NULL)
    return loom_cli_user_error (error);

  if (format == FORMAT_JSON)
    {
      g_autofree char *json = report_to_json (report);

      g_print ("%s\n", json);
    }
  else if (format == FORMAT_MARKDOWN)
    {
      g_autofree char *markdown = loom_disclosure_to_markdown (report);

      g_print ("%s", markdown);
    }
  else
    print_tabs (report);
  return LOOM_CLI_OK;
}
