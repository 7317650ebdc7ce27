/* test-summary.c: scene summaries asked of the mock OpenRouter server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-summary"

#include "config.h"

#include <string.h>

#include "loom-ai-client.h"
#include "loom-budget.h"
#include "loom-chapter.h"
#include "loom-generator.h"
#include "loom-mock-server.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "test-util.h"

typedef struct
{
  char           *dir;
  char           *path;
  LoomStore      *store;
  LoomStory      *story;
  LoomChapter    *chapter;
  LoomScene      *scene;
  LoomMockServer *server;
  LoomGenerator  *generator;
} Fixture;

static const char good_answer[] =
  "Here you are.\n```toon\nsummary: \"Mara reaches the gate at dusk; Ivo lets her in.\"\n"
  "facts[2]:\n  - Ivo guards the north gate.\n  - \"Mara paid with her ring, her last.\"\n```";

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(LoomAiClient) client = NULL;

  f->store = test_library_open ("storyloom-summary-XXXXXX", &f->dir, &f->path);
  f->scene = test_add_one_scene (f->store, &f->story, &f->chapter);
  g_assert_true (loom_scene_set_prose (f->scene, "Mara came to the gate at dusk. Ivo, the "
                                       "guard, took her ring and opened it.", &error));
  g_assert_no_error (error);

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  client = loom_ai_client_new (session);
  loom_ai_client_set_base_url (client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_api_key (client, "sk-test-key");
  loom_ai_client_set_model (client, "mock/novelist");
  loom_ai_client_set_retry_delay (client, 10);
  f->generator = loom_generator_new (f->store, client);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->generator);
  g_clear_object (&f->server);
  test_library_close (&f->store, &f->dir, &f->path);
}

static LoomMockResponse *
answer (const char *text)
{
  LoomMockResponse *r = loom_mock_response_new ();

  r->deltas = g_new0 (char *, 2);
  r->deltas[0] = g_strdup (text);
  r->split_every = 7;
  r->usage = TRUE;
  return r;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
summarize (Fixture    *f,
           GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  loom_generator_summarize_scene_async (f->generator, f->scene, NULL, on_done, &result);
  test_spin_until (has_result, &result, "the summary");
  return loom_generator_summarize_scene_finish (f->generator, result, error);
}

static LoomSummary *
summary_of (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  LoomSummary *summary = loom_store_get_summary (f->store, f->scene, &error);

  g_assert_no_error (error);
  return summary;
}

static void
test_generated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSummary) summary = NULL;
  GPtrArray *requests;
  g_auto(GStrv) facts = NULL;
  g_autofree char *row = NULL;
  LoomMockRequest *request;

  loom_mock_server_push (f->server, answer (good_answer));
  g_assert_true (summarize (f, &error));
  g_assert_no_error (error);

  summary = summary_of (f);
  g_assert_nonnull (summary);
  g_assert_cmpstr (summary->summary, ==, "Mara reaches the gate at dusk; Ivo lets her in.");
  g_assert_cmpint (summary->origin, ==, LOOM_SUMMARY_GENERATED);
  g_assert_cmpstr (summary->model, ==, "mock/novelist");
  facts = loom_summary_dup_facts (summary);
  g_assert_cmpuint (g_strv_length (facts), ==, 2);
  g_assert_cmpstr (facts[1], ==, "Mara paid with her ring, her last.");
  g_assert_false (loom_summary_is_outdated (summary, f->scene));

  /* the model was shown the prose, and the request is a row with its tokens and cost */
  requests = loom_mock_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 1);
  g_assert_nonnull (strstr (request->body, "took her ring and opened it"));
  row = test_sql_value (f->path, "SELECT kind || '|' || outcome || '|' || scene_id || '|' ||"
                                 " (prompt_tokens > 0) || '|' || (cost > 0) FROM generations");
  {
    g_autofree char *expected = g_strdup_printf ("summary|complete|%" G_GINT64_FORMAT "|1|1",
                                                 loom_scene_get_id (f->scene));
    g_assert_cmpstr (row, ==, expected);
  }

  /* the writer edits the prose: the summary is outdated */
  g_assert_true (loom_scene_set_prose (f->scene, "Mara climbed the wall instead.", &error));
  g_assert_true (loom_summary_is_outdated (summary, f->scene));
}

/* Answers not in the form asked for change nothing, and say so; each is still a row. */
static void
test_bad_answers_change_nothing (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *const bad[] = {
    "Mara reaches the gate.",                                      /* no TOON at all */
    "```toon\nsummary: Mara reaches the gate.\n```",                 /* no facts */
    "```toon\nsummary: \"\"\nfacts[0]:\n```",                        /* empty summary */
    "```toon\nsummary: A.\nfacts[3]:\n  - one\n  - two\n```",        /* cut short */
    "```toon\nsummary: A.\nfacts[1]: 12\n```",                       /* a fact not a text */
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSummary) kept = NULL;
  g_autofree char *count = NULL;

  g_assert_true (loom_store_set_summary (f->store, f->scene, "Earlier summary.", "Old fact.",
                                         LOOM_SUMMARY_GENERATED, "m/old", NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(LoomSummary) summary = NULL;

      loom_mock_server_push (f->server, answer (bad[i]));
      g_assert_false (summarize (f, &error));
      g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "Nothing was added"));
      g_clear_error (&error);
      summary = summary_of (f);
      g_assert_cmpstr (summary->summary, ==, "Earlier summary.");
      g_assert_cmpstr (summary->facts, ==, "Old fact.");
    }
  count = test_sql_value (f->path, "SELECT count(*) FROM generations WHERE kind = 'summary'"
                                   " AND outcome = 'error'");
  g_assert_cmpstr (count, ==, "5");

  /* none at all: accepted, with no facts */
  loom_mock_server_push (f->server, answer ("```toon\nsummary: The gate.\nfacts[0]:\n```"));
  g_assert_true (summarize (f, &error));
  kept = summary_of (f);
  g_assert_cmpstr (kept->summary, ==, "The gate.");
  g_assert_cmpstr (kept->facts, ==, "");
}

/* The writer's own summary is never replaced: refused before anything is sent. */
static void
test_writers_summary_kept (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSummary) summary = NULL;
  g_autofree char *count = NULL;

  g_assert_true (loom_store_set_summary (f->store, f->scene, "My own words.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  loom_mock_server_push (f->server, answer (good_answer));
  g_assert_false (summarize (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  count = test_sql_value (f->path, "SELECT count(*) FROM generations");
  g_assert_cmpstr (count, ==, "0");
  summary = summary_of (f);
  g_assert_cmpstr (summary->summary, ==, "My own words.");
}

/* A summary request goes through the spending limits' check: under a limit of nothing it is not
 * sent and leaves no generations row; without the limit it goes. */
static void
test_spending_limit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSummary) summary = NULL;
  g_autofree char *count = NULL;

  g_assert_true (loom_store_set_spending_limit (f->store, f->story, 0, &error));
  loom_mock_server_push (f->server, answer (good_answer));
  g_assert_false (summarize (f, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == LOOM_BUDGET_ERROR);
  g_clear_error (&error);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  count = test_sql_value (f->path, "SELECT count(*) FROM generations");
  g_assert_cmpstr (count, ==, "0");

  g_assert_true (loom_store_set_spending_limit (f->store, f->story, -1, &error));
  g_assert_true (summarize (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  summary = summary_of (f);
  g_assert_cmpstr (summary->summary, ==, "Mara reaches the gate at dusk; Ivo lets her in.");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/summary/generated", test_generated);
  ADD ("/summary/bad-answers-change-nothing", test_bad_answers_change_nothing);
  ADD ("/summary/writers-summary-kept", test_writers_summary_kept);
  ADD ("/summary/spending-limit", test_spending_limit);
#undef ADD

  return g_test_run ();
}
