/* test-budget.c: estimates from known prices and token counts, and the spending limits, against
 * the mock server (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-budget"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "loom-ai-client.h"
#include "loom-budget.h"
#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-generator.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-paid-action.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "test-util.h"

/* The mock lists this model at $3 and $15 per million prompt and answer tokens. */
#define PRICED_MODEL "anthropic/claude-3.5-sonnet"

typedef struct
{
  char           *dir;
  char           *path;
  LoomStore      *store;
  LoomStory      *story;
  LoomChapter    *chapter;
  LoomScene      *scenes[3];
  LoomMockServer *server;
  LoomAiClient   *client;
  LoomGenerator  *generator;
  GString        *finished;   /* "1:ok 2:story-limit 3:cancelled " */
  GAsyncResult   *result;
} Fixture;

static void
on_finished (LoomGenerator *generator,
             LoomScene     *scene,
             const GError  *error,
             Fixture       *f)
{
  const char *what = "ok";

  if (error != NULL && error->domain == LOOM_BUDGET_ERROR)
    what = error->code == LOOM_BUDGET_ERROR_STORY_LIMIT ? "story-limit"
           : error->code == LOOM_BUDGET_ERROR_MONTHLY_LIMIT ? "monthly-limit" : "unknown-price";
  else if (error != NULL)
    what = error->domain == G_IO_ERROR ? "cancelled" : "error";
  g_string_append_printf (f->finished, "%u:%s ", loom_scene_get_number (scene), what);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ((Fixture *) user_data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();

  f->store = test_library_open ("storyloom-budget-XXXXXX", &f->dir, &f->path);
  f->story = loom_store_create_story (f->store, "The Salt Road", "A caravan crosses a dead sea.",
                                      NULL, &error);
  f->chapter = loom_store_add_chapter (f->store, f->story, 0, "Departure", &error);
  for (guint i = 0; i < G_N_ELEMENTS (f->scenes); i++)
    {
      g_autofree char *outline = g_strdup_printf ("Mara does thing %u", i + 1);

      f->scenes[i] = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, outline,
                                           &error);
      g_assert_no_error (error);
    }

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  f->client = loom_ai_client_new (session);
  loom_ai_client_set_base_url (f->client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_model (f->client, PRICED_MODEL);
  f->generator = loom_generator_new (f->store, f->client);
  f->finished = g_string_new (NULL);
  g_signal_connect (f->generator, "scene-finished", G_CALLBACK (on_finished), f);

  loom_model_catalog_refresh_async (f->store, f->client, FALSE, NULL, refreshed_cb, f);
  test_spin_until (has_result, f, "the list of models");
  g_assert_true (loom_model_catalog_refresh_finish (f->result, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->generator);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  g_string_free (f->finished, TRUE);
  test_library_close (&f->store, &f->dir, &f->path);
}

static gboolean
idle (gpointer data)
{
  return !loom_generator_get_busy (((Fixture *) data)->generator);
}

static double
estimate_scene (Fixture *f,
                guint    i)
{
  g_autoptr(GError) error = NULL;
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  double cost;

  g_assert_true (loom_generator_estimate_scene (f->generator, f->scenes[i], &estimate, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (estimate.cost, >, 0);
  cost = estimate.cost;
  loom_estimate_clear (&estimate);
  return cost;
}

static double
spent (Fixture   *f,
       LoomStory *story)
{
  g_autoptr(GError) error = NULL;
  double amount = -1;

  g_assert_true (loom_store_get_spent (f->store, story, &amount, &error));
  g_assert_no_error (error);
  return amount;
}

static void
set_limit (Fixture   *f,
           LoomStory *story,
           double     limit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_store_set_spending_limit (f->store, story, limit, &error));
  g_assert_no_error (error);
}

static void
generate (Fixture *f,
          guint    i)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_generator_generate_scene (f->generator, f->scenes[i], &error));
  g_assert_no_error (error);
  test_spin_until (idle, f, "the generation");
}

/* Known prices and token counts give a known estimate; an unlisted model's price is unknown. */
static void
test_estimate (Fixture       *f,
               gconstpointer  data)
{
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  g_autofree char *text = NULL;
  g_autofree char *unknown = NULL;

  g_assert_cmpint (loom_estimate_answer_tokens (1000, 0), ==, 1334);
  g_assert_cmpint (loom_estimate_answer_tokens (1000, 500), ==, 500);

  /* 1,000 × $3/M + 2,000 × $15/M, twice: a batch's total */
  loom_estimate_add (&estimate, f->store, f->client, NULL, 1000, 2000);
  loom_estimate_add (&estimate, f->store, f->client, PRICED_MODEL, 1000, 2000);
  g_assert_cmpuint (estimate.requests, ==, 2);
  g_assert_cmpfloat_with_epsilon (estimate.cost, 0.066, 1e-12);
  text = loom_estimate_describe (&estimate);
  g_assert_cmpstr (text, ==, "about $0.0660 (2000 prompt tokens, about 4000 answer tokens)");

  /* free is known to cost nothing */
  loom_estimate_clear (&estimate);
  estimate = (LoomEstimate) LOOM_ESTIMATE_INIT;
  loom_estimate_add (&estimate, f->store, f->client, "mock/tiny", 5000, 5000);
  g_assert_cmpfloat (estimate.cost, ==, 0);

  /* one request of unknown price makes the total unknown */
  loom_estimate_add (&estimate, f->store, f->client, "mock/unlisted", 10, 10);
  g_assert_cmpfloat (estimate.cost, <, 0);
  g_assert_cmpstr (estimate.model, ==, "mock/unlisted");
  unknown = loom_estimate_describe (&estimate);
  g_assert_cmpstr (unknown, ==, "unknown price (5010 prompt tokens, about 5010 answer tokens)");
  loom_estimate_clear (&estimate);
}

static double
estimate_action (Fixture              *f,
                 const LoomPaidAction *action,
                 LoomEstimate         *estimate)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_generator_estimate_action (f->generator, action, estimate, &error));
  g_assert_no_error (error);
  return estimate->cost;
}

/* Each paid action's estimate is its prompts' tokens and expected answers at the model's
 * known prices; a batch sums the scenes it would draft, and no request is sent. */
static void
test_action_estimates (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  LoomEstimate scene = LOOM_ESTIMATE_INIT;
  LoomEstimate chapter = LOOM_ESTIMATE_INIT;
  LoomEstimate story = LOOM_ESTIMATE_INIT;
  LoomEstimate outline = LOOM_ESTIMATE_INIT;
  LoomEstimate characters = LOOM_ESTIMATE_INIT;
  LoomEstimate unknown = LOOM_ESTIMATE_INIT;
  LoomPaidAction action = { LOOM_PAID_SCENE, NULL, NULL, f->scenes[0], LOOM_GENERATE_MISSING,
                            NULL };
  gint64 prompt_tokens;
  double expected;
  g_autofree char *text = NULL;

  prompt = loom_prompt_new_for_scene (f->scenes[0], NULL, &error);
  g_assert_no_error (error);
  prompt_tokens = loom_prompt_get_token_estimate (prompt);
  /* $3 per million prompt tokens, $15 per million answer tokens, 1,334 for 1,000 words */
  expected = prompt_tokens * 3e-6 + 1334 * 15e-6;
  g_assert_cmpfloat_with_epsilon (estimate_action (f, &action, &scene), expected, 1e-12);
  g_assert_cmpuint (scene.requests, ==, 1);
  g_assert_cmpint (scene.prompt_tokens, ==, prompt_tokens);
  g_assert_cmpint (scene.answer_tokens, ==, 1334);

  action.kind = LOOM_PAID_CHAPTER;
  action.chapter = f->chapter;
  estimate_action (f, &action, &chapter);
  g_assert_cmpuint (chapter.requests, ==, 3);
  g_assert_cmpint (chapter.answer_tokens, ==, 3 * 1334);
  g_assert_cmpfloat_with_epsilon (chapter.cost,
                                  chapter.prompt_tokens * 3e-6 + 3 * 1334 * 15e-6, 1e-12);

  /* a scene with prose is not drafted by Generate Story: it is not counted */
  g_assert_true (loom_scene_set_prose (f->scenes[2], "Mara slept.", &error));
  action.kind = LOOM_PAID_STORY;
  action.story = f->story;
  estimate_action (f, &action, &story);
  g_assert_cmpuint (story.requests, ==, 2);

  action.kind = LOOM_PAID_OUTLINE;
  estimate_action (f, &action, &outline);
  g_assert_cmpint (outline.answer_tokens, ==, 2000);
  action.kind = LOOM_PAID_CHARACTERS;
  estimate_action (f, &action, &characters);
  g_assert_cmpint (characters.answer_tokens, ==, 800);
  g_assert_cmpfloat_with_epsilon (characters.cost,
                                  characters.prompt_tokens * 3e-6 + 800 * 15e-6, 1e-12);

  text = loom_estimate_describe_with_model (&characters, PRICED_MODEL);
  g_assert_true (g_str_has_prefix (text, "about $0.0"));
  g_assert_nonnull (strstr (text, " with anthropic/claude-3.5-sonnet ("));
  g_assert_true (g_str_has_suffix (text, " tokens in, about 800 out)"));

  /* a server without prices: said plainly */
  loom_ai_client_set_model (f->client, "mock/unlisted");
  action.kind = LOOM_PAID_SCENE;
  estimate_action (f, &action, &unknown);
  g_assert_cmpfloat (unknown.cost, <, 0);
  g_clear_pointer (&text, g_free);
  text = loom_estimate_describe_with_model (&unknown, "mock/unlisted");
  g_assert_true (g_str_has_prefix (text, "unknown price with mock/unlisted ("));

  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  loom_estimate_clear (&scene);
  loom_estimate_clear (&chapter);
  loom_estimate_clear (&story);
  loom_estimate_clear (&outline);
  loom_estimate_clear (&characters);
  loom_estimate_clear (&unknown);
}

/* A library where the writer never chose asks above $0.10; "never" chosen is kept as the
 * writer's choice, and an amount replaces it. (The suite's environment turns the default off
 * for the other tests: STORYLOOM_TEST_ASK_ABOVE.) */
static void
test_default_threshold (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *suite = g_strdup (g_getenv ("STORYLOOM_TEST_ASK_ABOVE"));
  g_autofree char *never = NULL;
  double threshold = 7;

  g_unsetenv ("STORYLOOM_TEST_ASK_ABOVE");
  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (threshold, 0.10, 1e-12);
  g_assert_cmpfloat (LOOM_DEFAULT_CONFIRM_THRESHOLD, ==, threshold);

  g_assert_true (loom_store_set_confirm_threshold (f->store, -1, &error));
  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, &error));
  g_assert_cmpfloat (threshold, <, 0);
  never = test_sql_value (f->path, "SELECT value FROM library_settings"
                                   " WHERE name = 'confirm-never'");
  g_assert_cmpstr (never, ==, "1");

  g_assert_true (loom_store_set_confirm_threshold (f->store, 0.5, &error));
  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (threshold, 0.5, 1e-12);
  g_free (never);
  never = test_sql_value (f->path, "SELECT count(*) FROM library_settings"
                                   " WHERE name = 'confirm-never'");
  g_assert_cmpstr (never, ==, "0");

  g_assert_false (loom_store_set_confirm_threshold (f->store, NAN, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, NULL));
  g_assert_cmpfloat_with_epsilon (threshold, 0.5, 1e-12);
  if (suite != NULL)
    g_setenv ("STORYLOOM_TEST_ASK_ABOVE", suite, TRUE);
}

/* The threshold: none in this suite (never ask), 0 asks always, else above it; an unknown
 * price asks whenever there is one. It is kept in the library. */
static void
test_confirm_threshold (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  LoomEstimate none = LOOM_ESTIMATE_INIT;
  LoomPaidAction action = { LOOM_PAID_SCENE, NULL, NULL, f->scenes[0], 0, NULL };
  double threshold = 7;
  double cost;
  gboolean needed = TRUE;

  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, &error));
  g_assert_cmpfloat (threshold, <, 0);
  g_assert_true (loom_generator_needs_confirmation (f->generator, &action, &estimate, &needed,
                                                    &error));
  g_assert_no_error (error);
  g_assert_false (needed);
  g_assert_cmpuint (estimate.requests, ==, 0);
  cost = estimate_action (f, &action, &estimate);
  g_assert_cmpfloat (cost, >, 0);

  g_assert_true (loom_estimate_needs_confirmation (&estimate, 0));
  g_assert_true (loom_estimate_needs_confirmation (&estimate, cost / 2));
  g_assert_false (loom_estimate_needs_confirmation (&estimate, cost));
  g_assert_false (loom_estimate_needs_confirmation (&estimate, -1));
  g_assert_false (loom_estimate_needs_confirmation (&none, 0));

  g_assert_true (loom_store_set_confirm_threshold (f->store, cost / 2, &error));
  loom_estimate_clear (&estimate);
  estimate = (LoomEstimate) LOOM_ESTIMATE_INIT;
  g_assert_true (loom_generator_needs_confirmation (f->generator, &action, &estimate, &needed,
                                                    &error));
  g_assert_true (needed);
  g_assert_true (loom_store_set_confirm_threshold (f->store, cost * 2, &error));
  loom_estimate_clear (&estimate);
  estimate = (LoomEstimate) LOOM_ESTIMATE_INIT;
  g_assert_true (loom_generator_needs_confirmation (f->generator, &action, &estimate, &needed,
                                                    &error));
  g_assert_false (needed);

  loom_estimate_add (&estimate, f->store, f->client, "mock/unlisted", 1, 1);
  g_assert_true (loom_estimate_needs_confirmation (&estimate, 1000));

  g_assert_true (loom_store_set_confirm_threshold (f->store, -1, &error));
  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (threshold, <, 0);
  loom_estimate_clear (&estimate);
}

/* A story's limit refuses exactly the request whose estimate would cross it, before anything is
 * sent; the same request at the limit goes. */
static void
test_story_limit (Fixture       *f,
                  gconstpointer  data)
{
  double first;
  double second;
  double before;

  first = estimate_scene (f, 0);
  set_limit (f, f->story, first);
  generate (f, 0);
  g_assert_cmpstr (f->finished->str, ==, "1:ok ");
  before = spent (f, f->story);
  g_assert_cmpfloat (before, >, 0);
  g_assert_cmpfloat (before, <, first);

  second = estimate_scene (f, 1);
  set_limit (f, f->story, before + second - 0.000001);
  generate (f, 1);
  g_assert_cmpstr (f->finished->str, ==, "1:ok 2:story-limit ");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_null (test_scene_prose (f->scenes[1]));
  g_assert_nonnull (strstr (loom_scene_get_error_message (f->scenes[1]),
                            "raise the story’s spending limit in Preferences or with"));
  g_assert_cmpfloat (spent (f, f->story), ==, before);

  set_limit (f, f->story, before + second);
  generate (f, 1);
  g_assert_cmpstr (f->finished->str, ==, "1:ok 2:story-limit 2:ok ");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
}

static gboolean
streaming (gpointer data)
{
  Fixture *f = data;

  return loom_mock_server_get_n_in_flight (f->server) == 1 &&
         loom_scene_get_prose (f->scenes[0]) != NULL;
}

/* A generation already running is never cut off by the cap, even lowered below what was spent;
 * the next scene of its batch is refused and the rest of the batch is not sent. */
static void
test_running_not_cut_off (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LoomMockResponse) slow = loom_mock_response_new ();
  g_autoptr(GError) error = NULL;

  slow->n_deltas = 40;
  slow->delay_ms = 20;
  loom_mock_server_set_default (f->server, slow);

  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter,
                                                     LOOM_GENERATE_MISSING, &error), ==, 3);
  test_spin_until (streaming, f, "the first scene to stream");
  set_limit (f, f->story, 0);
  set_limit (f, NULL, 0);
  test_spin_until (idle, f, "the batch to end");

  /* the rest of the batch leaves the queue before the refused scene reports */
  g_assert_cmpstr (f->finished->str, ==, "1:ok 3:cancelled 2:story-limit ");
  g_assert_cmpint (loom_scene_get_status (f->scenes[0]), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpuint (loom_scene_get_word_count (f->scenes[0]), >, 30);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_null (test_scene_prose (f->scenes[2]));
  g_assert_cmpint (loom_scene_get_status (f->scenes[2]), ==, LOOM_SCENE_STATUS_DRAFT);
}

/* The library's monthly limit counts every story's requests this month, deleted ones' too
 * while they are in the trash; a limit removed lets requests go again. */
static void
test_monthly_limit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  double one;
  double limit = -2;

  generate (f, 0);
  one = spent (f, NULL);
  g_assert_cmpfloat (one, ==, spent (f, f->story));

  /* the story goes to the trash: its money stays spent this month */
  {
    LoomStory *other = loom_store_create_story (f->store, "Other", NULL, NULL, &error);
    LoomChapter *chapter = loom_store_add_chapter (f->store, other, 0, "One", &error);
    LoomScene *scene = loom_store_add_scene (f->store, chapter, 0, "Somewhere", &error);

    g_assert_no_error (error);
    g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
    test_spin_until (idle, f, "the other story's scene");
    g_assert_cmpfloat (spent (f, NULL), >, one);
    one = spent (f, NULL);
    deletion = loom_store_delete_story (f->store, other, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpfloat_with_epsilon (spent (f, NULL), one, 1e-12);

  set_limit (f, NULL, one + estimate_scene (f, 1) / 2);
  g_assert_true (loom_store_get_spending_limit (f->store, NULL, &limit, &error));
  g_assert_cmpfloat (limit, >, one);
  generate (f, 1);
  g_assert_cmpstr (f->finished->str, ==, "1:ok 1:ok 2:monthly-limit ");
  g_assert_nonnull (strstr (loom_scene_get_error_message (f->scenes[1]), "monthly limit"));

  set_limit (f, NULL, -1);
  g_assert_true (loom_store_get_spending_limit (f->store, NULL, &limit, &error));
  g_assert_cmpfloat (limit, <, 0);
  generate (f, 1);
  g_assert_cmpstr (f->finished->str, ==, "1:ok 1:ok 2:monthly-limit 2:ok ");
}

/* With a limit, a model whose price is unknown is not asked; without one it is. Once the
 * writer accepts the model's unknown price (on this server only), neither the limit nor the
 * question stops it, but a limit already reached still does. */
static void
test_unknown_price (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiClient) other = loom_ai_client_new (NULL);
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;

  loom_ai_client_set_model (f->client, "mock/unlisted");
  set_limit (f, f->story, 100);
  generate (f, 0);
  g_assert_cmpstr (f->finished->str, ==, "1:unknown-price ");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_assert_nonnull (strstr (loom_scene_get_error_message (f->scenes[0]), "mock/unlisted"));
  g_assert_nonnull (strstr (loom_scene_get_error_message (f->scenes[0]),
                            "storyloom-cli budget --accept-unknown-price"));

  set_limit (f, f->story, -1);
  generate (f, 0);
  g_assert_cmpstr (f->finished->str, ==, "1:unknown-price 1:ok ");

  /* accepted: sent within a limit, and not asked about above a threshold */
  set_limit (f, f->story, 100);
  g_assert_true (loom_budget_set_unknown_price_accepted (f->store, f->client, NULL, TRUE,
                                                         &error));
  g_assert_no_error (error);
  g_assert_true (loom_budget_get_unknown_price_accepted (f->store, f->client, "mock/unlisted"));
  loom_ai_client_set_base_url (other, "http://localhost:11434/v1");
  g_assert_false (loom_budget_get_unknown_price_accepted (f->store, other, "mock/unlisted"));
  g_assert_false (loom_budget_get_unknown_price_accepted (f->store, f->client, "mock/other"));
  loom_estimate_add (&estimate, f->store, f->client, NULL, 10, 10);
  g_assert_cmpfloat (estimate.cost, <, 0);
  g_assert_true (estimate.unknown_accepted);
  g_assert_false (loom_estimate_needs_confirmation (&estimate, 0.10));
  g_assert_true (loom_estimate_needs_confirmation (&estimate, 0));
  /* one unaccepted unknown price in a total makes it asked about again */
  loom_estimate_add (&estimate, f->store, f->client, "mock/other", 10, 10);
  g_assert_false (estimate.unknown_accepted);
  g_assert_true (loom_estimate_needs_confirmation (&estimate, 0.10));
  loom_estimate_clear (&estimate);

  generate (f, 1);
  g_assert_cmpstr (f->finished->str, ==, "1:unknown-price 1:ok 2:ok ");

  /* a limit already reached refuses even an accepted unknown price */
  set_limit (f, f->story, spent (f, f->story));
  generate (f, 2);
  g_assert_cmpstr (f->finished->str, ==, "1:unknown-price 1:ok 2:ok 3:story-limit ");
  g_assert_nonnull (strstr (loom_scene_get_error_message (f->scenes[2]),
                            "this request would cost an unknown amount, so it was not sent"));

  g_assert_true (loom_budget_set_unknown_price_accepted (f->store, f->client, NULL, FALSE,
                                                         &error));
  g_assert_false (loom_budget_get_unknown_price_accepted (f->store, f->client, NULL));
}

static void
accept_unknown_price (LoomStore    *store,
                      LoomAiClient *client,
                      const char   *model,
                      gboolean      accepted)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_budget_set_unknown_price_accepted (store, client, model, accepted,
                                                         &error));
  g_assert_no_error (error);
}

static char *
list_accepted (LoomStore    *store,
               LoomAiClient *client)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = loom_budget_list_unknown_price_accepted (store, client, &error);

  g_assert_no_error (error);
  g_assert_nonnull (models);
  return g_strjoinv ("|", models);
}

/* The models accepted without a price are listed per server, so that Preferences and the
 * command line can take each back; a model's name may hold what LIKE would read as a
 * wildcard, and a server whose address begins as another's lists only its own. */
static void
test_unknown_price_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LoomAiClient) other = loom_ai_client_new (NULL);
  g_autoptr(LoomAiClient) longer = loom_ai_client_new (NULL);
  g_autofree char *none = NULL;
  g_autofree char *two = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *longer_list = NULL;
  g_autofree char *one = NULL;

  none = list_accepted (f->store, f->client);
  g_assert_cmpstr (none, ==, "");

  loom_ai_client_set_base_url (other, "http://localhost:11434/v1");
  loom_ai_client_set_base_url (longer, "http://localhost:11434/v1x");
  accept_unknown_price (f->store, f->client, "mock/unlisted", TRUE);
  accept_unknown_price (f->store, f->client, "local 50%_off", TRUE);
  accept_unknown_price (f->store, other, "llama3", TRUE);
  accept_unknown_price (f->store, longer, "qwen", TRUE);

  two = list_accepted (f->store, f->client);
  g_assert_cmpstr (two, ==, "local 50%_off|mock/unlisted");
  elsewhere = list_accepted (f->store, other);
  g_assert_cmpstr (elsewhere, ==, "llama3");
  longer_list = list_accepted (f->store, longer);
  g_assert_cmpstr (longer_list, ==, "qwen");

  /* taken back: no longer listed, nor accepted */
  accept_unknown_price (f->store, f->client, "local 50%_off", FALSE);
  one = list_accepted (f->store, f->client);
  g_assert_cmpstr (one, ==, "mock/unlisted");
  g_assert_false (loom_budget_get_unknown_price_accepted (f->store, f->client, "local 50%_off"));
}

/* Generate Chapter's estimate is the sum of the prompts the generator then sends, scene by
 * scene, when each answer has the expected length: a later scene's prompt quotes how the scene
 * before it ends, which the estimate counts before that scene exists. Known prices ($3 and $15
 * per million tokens), known token counts. */
static void
test_batch_estimate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  g_autoptr(GError) error = NULL;
  LoomPaidAction action = { LOOM_PAID_CHAPTER, NULL, f->chapter, NULL, LOOM_GENERATE_MISSING,
                            NULL };
  LoomEstimate batch = LOOM_ESTIMATE_INIT;
  GPtrArray *requests;
  gint64 sent_tokens = 0;
  gint64 outline_only = 0;

  estimate_action (f, &action, &batch);
  g_assert_cmpuint (batch.requests, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(LoomPrompt) prompt = loom_generator_new_prompt (f->generator, f->scenes[i],
                                                                &error);

      g_assert_no_error (error);
      outline_only += loom_prompt_get_token_estimate (prompt);
    }
  /* the two later scenes quote about 400 words (533 tokens) of the scene before */
  g_assert_cmpint (batch.prompt_tokens, >, outline_only + 2 * 500);

  /* the model answers each scene with 1,000 words, 1,334 tokens as the estimate expects */
  answer->deltas = g_new0 (char *, 2);
  answer->deltas[0] = loom_estimate_stand_in_prose (1334);
  loom_mock_server_set_default (f->server, answer);
  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter,
                                                     LOOM_GENERATE_MISSING, &error), ==, 3);
  test_spin_until (idle, f, "the chapter");
  g_assert_cmpstr (f->finished->str, ==, "1:ok 2:ok 3:ok ");
  g_assert_cmpuint (loom_scene_get_word_count (f->scenes[0]), ==, 1000);

  requests = loom_mock_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 3);
  for (guint i = 0; i < requests->len; i++)
    {
      LoomMockRequest *request = g_ptr_array_index (requests, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *body;

      json_parser_load_from_data (parser, request->body, -1, &error);
      g_assert_no_error (error);
      body = json_node_get_object (json_parser_get_root (parser));
      sent_tokens += loom_prompt_estimate_tokens (json_object_get_array_member (body,
                                                                                "messages"));
    }
  g_assert_cmpint (batch.prompt_tokens, ==, sent_tokens);
  g_assert_cmpfloat_with_epsilon (batch.cost, sent_tokens * 3e-6 + 3 * 1334 * 15e-6, 1e-12);
  loom_estimate_clear (&batch);
}

/* What summarizing @scene costs once its prose is @prose: the request Summarize sends. */
static void
estimate_summary (Fixture      *f,
                  LoomScene    *scene,
                  const char   *prose,
                  LoomEstimate *estimate)
{
  g_autoptr(GError) error = NULL;
  LoomPaidAction action = { LOOM_PAID_SUMMARY, NULL, NULL, scene, 0, NULL, FALSE };

  g_assert_true (loom_scene_set_prose (scene, prose, &error));
  g_assert_no_error (error);
  estimate_action (f, &action, estimate);
}

/* With summaries after drafts (the window's setting), a batch's estimate adds one summary
 * request per scene it drafts, and exactly what Summarize would send for the scene once its
 * draft has the expected length; a summary the writer wrote is not asked for, so not counted.
 * The question's sentence says so only when they are counted. */
static void
test_summaries_estimate (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomPaidAction action = { LOOM_PAID_CHAPTER, NULL, f->chapter, NULL, LOOM_GENERATE_MISSING,
                            NULL, FALSE };
  LoomEstimate drafts = LOOM_ESTIMATE_INIT;
  LoomEstimate with = LOOM_ESTIMATE_INIT;
  LoomEstimate writers = LOOM_ESTIMATE_INIT;
  LoomEstimate one = LOOM_ESTIMATE_INIT;
  LoomEstimate summaries = LOOM_ESTIMATE_INIT;
  g_autofree char *stand_in = loom_estimate_stand_in_prose (1334);
  g_autofree char *drafts_text = NULL;
  g_autofree char *with_text = NULL;
  g_autofree char *writers_text = NULL;

  estimate_action (f, &action, &drafts);
  action.summarize_after = TRUE;
  estimate_action (f, &action, &with);
  g_assert_cmpuint (drafts.requests, ==, 3);
  g_assert_cmpuint (drafts.summaries, ==, 0);
  g_assert_cmpuint (with.requests, ==, 3);
  g_assert_cmpuint (with.summaries, ==, 3);

  /* Generate Scene alone: its summary too */
  action = (LoomPaidAction) { LOOM_PAID_SCENE, NULL, NULL, f->scenes[0], 0, NULL, TRUE };
  estimate_action (f, &action, &one);
  g_assert_cmpuint (one.requests, ==, 1);
  g_assert_cmpuint (one.summaries, ==, 1);

  /* the scene a writer summarized is drafted, and its summary kept, not asked for */
  g_assert_true (loom_store_set_summary (f->store, f->scenes[1], "Mara waits.", "",
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  g_assert_no_error (error);
  action = (LoomPaidAction) { LOOM_PAID_CHAPTER, NULL, f->chapter, NULL, LOOM_GENERATE_MISSING,
                              NULL, TRUE };
  estimate_action (f, &action, &writers);
  g_assert_cmpuint (writers.requests, ==, 3);
  g_assert_cmpuint (writers.summaries, ==, 2);
  g_assert_true (loom_store_delete_summary (f->store, f->scenes[1], &error));
  g_assert_no_error (error);

  drafts_text = loom_estimate_describe_with_model (&drafts, PRICED_MODEL);
  with_text = loom_estimate_describe_with_model (&with, PRICED_MODEL);
  writers_text = loom_estimate_describe_with_model (&writers, PRICED_MODEL);
  g_assert_null (strstr (drafts_text, "summar"));
  g_assert_true (g_str_has_suffix (drafts_text, "about 4002 out)"));
  g_assert_true (g_str_has_suffix (with_text,
                                   "about 5202 out), including 3 scene summaries written after "
                                   "drafting"));
  g_assert_true (g_str_has_suffix (writers_text,
                                   ", including 2 scene summaries written after drafting"));

  /* the difference is exactly the three summary requests, once each scene has its draft */
  for (guint i = 0; i < 3; i++)
    estimate_summary (f, f->scenes[i], stand_in, &summaries);
  g_assert_cmpuint (summaries.requests, ==, 3);
  g_assert_cmpint (with.prompt_tokens - drafts.prompt_tokens, ==, summaries.prompt_tokens);
  g_assert_cmpint (with.answer_tokens - drafts.answer_tokens, ==, summaries.answer_tokens);
  g_assert_cmpint (summaries.answer_tokens, ==, 3 * 400);
  g_assert_cmpfloat (summaries.cost, >, 0);
  g_assert_cmpfloat_with_epsilon (with.cost - drafts.cost, summaries.cost, 1e-12);
  g_assert_cmpfloat_with_epsilon (summaries.cost,
                                  summaries.prompt_tokens * 3e-6 + 3 * 400 * 15e-6, 1e-12);

  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  loom_estimate_clear (&drafts);
  loom_estimate_clear (&with);
  loom_estimate_clear (&writers);
  loom_estimate_clear (&one);
  loom_estimate_clear (&summaries);
}

static void
summarized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  /* the mock answers with prose, not a summary: only that it ended matters */
  loom_generator_summarize_scene_finish (f->generator, result, NULL);
  f->result = g_object_ref (result);
}

/* As the window does with summaries after drafts: the first scene's summary is asked for as
 * soon as its draft is done, with the story's limit set right there to what the library has
 * spent, plus the next draft, plus half the summary. */
static void
summarize_first (LoomGenerator *generator,
                 LoomScene     *scene,
                 const GError  *error,
                 Fixture       *f)
{
  LoomPaidAction action = { LOOM_PAID_SUMMARY, NULL, NULL, scene, 0, NULL, FALSE };
  LoomEstimate summary = LOOM_ESTIMATE_INIT;
  double before;

  if (error != NULL || scene != f->scenes[0])
    return;
  before = spent (f, f->story);
  g_assert_cmpfloat (before, >, 0);
  estimate_action (f, &action, &summary);
  set_limit (f, f->story, before + estimate_scene (f, 1) + summary.cost / 2);
  loom_estimate_clear (&summary);
  loom_generator_summarize_scene_async (generator, scene, NULL, summarized_cb, f);
}

static gboolean
summarized_and_idle (gpointer data)
{
  return ((Fixture *) data)->result != NULL && idle (data);
}

/* A summary under way counts as spent, as a draft under way does: the next scene of the batch,
 * which the limit would allow without the summary, is refused, and the rest of the batch
 * with it. */
static void
test_summary_pending (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->generator, "scene-finished", G_CALLBACK (summarize_first), f);
  g_clear_object (&f->result);
  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter,
                                                     LOOM_GENERATE_MISSING, &error), ==, 3);
  g_assert_no_error (error);
  test_spin_until (summarized_and_idle, f, "the batch and the summary");
  g_assert_cmpstr (f->finished->str, ==, "1:ok 3:cancelled 2:story-limit ");
  /* the first draft and its summary */
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_assert_null (test_scene_prose (f->scenes[1]));

  /* the summary ended: it is spent, no longer held, and the scene goes at exactly the limit */
  set_limit (f, f->story, spent (f, f->story) + estimate_scene (f, 1));
  generate (f, 1);
  g_assert_cmpstr (f->finished->str, ==, "1:ok 3:cancelled 2:story-limit 2:ok ");
}

/* Outlines go through the same check. */
static void
test_structured_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_limit (f, f->story, 0);
  g_clear_object (&f->result);
  loom_generator_outline_story_async (f->generator, f->story, NULL, refreshed_cb, f);
  test_spin_until (has_result, f, "the outline");
  g_assert_cmpint (loom_generator_outline_story_finish (f->generator, f->result, &error), ==, -1);
  g_assert_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_STORY_LIMIT);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
}

/* A library of version 12 opens with its data unchanged and no limits. */
static void
test_migrate_from_v12 (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  gint64 story_id = loom_story_get_id (f->story);
  double limit = 0;

  generate (f, 0);
  g_clear_object (&f->generator);
  g_clear_object (&f->store);
  test_sql_exec (f->path, TEST_SQL_UNDO_V16
                          TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14 TEST_SQL_UNDO_V13 "PRAGMA user_version = 12");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);
  f->story = loom_store_lookup_story (f->store, story_id);
  g_assert_true (loom_store_get_spending_limit (f->store, f->story, &limit, &error));
  g_assert_cmpfloat (limit, <, 0);
  g_assert_cmpfloat (spent (f, f->story), >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/budget/estimate", test_estimate);
  ADD ("/budget/action-estimates", test_action_estimates);
  ADD ("/budget/default-threshold", test_default_threshold);
  ADD ("/budget/confirm-threshold", test_confirm_threshold);
  ADD ("/budget/batch-estimate", test_batch_estimate);
  ADD ("/budget/summaries-estimate", test_summaries_estimate);
  ADD ("/budget/story-limit", test_story_limit);
  ADD ("/budget/running-not-cut-off", test_running_not_cut_off);
  ADD ("/budget/summary-pending", test_summary_pending);
  ADD ("/budget/monthly-limit", test_monthly_limit);
  ADD ("/budget/unknown-price", test_unknown_price);
  ADD ("/budget/unknown-price-list", test_unknown_price_list);
  ADD ("/budget/structured-refused", test_structured_refused);
  ADD ("/budget/migrate-from-v12", test_migrate_from_v12);
#undef ADD
  return g_test_run ();
}
