/* test-revise.c: the AI on a passage of the writer's own text, against the mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-revise"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "loom-ai-client.h"
#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-generator.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-revise.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-story.h"
#include "test-util.h"

#define PROSE "Mara walked to the gate. The guard was asleep. She waited in the cold."

typedef struct
{
  char           *dir;
  char           *path;
  LoomStore      *store;
  LoomStory      *story;
  LoomScene      *scene;
  LoomMockServer *server;
  LoomGenerator  *generator;
  GString        *streamed;
  LoomReview     *review;
  GError         *error;
  gboolean        done;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(LoomAiClient) client = NULL;
  LoomChapter *chapter;
  LoomScene *first;

  f->store = test_library_open ("storyloom-revise-XXXXXX", &f->dir, &f->path);
  f->story = loom_store_create_story (f->store, "The Salt Road", "A caravan crosses a dead sea.",
                                      "Spare, present tense.", &error);
  chapter = loom_store_add_chapter (f->store, f->story, 0, "Departure", &error);
  first = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, "The caravan forms.",
                                &error);
  g_assert_true (loom_scene_set_prose (first, "Ivo counted the camels twice.", &error));
  f->scene = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END,
                                   "Mara reaches the gate.", &error);
  g_assert_true (loom_scene_set_prose (f->scene, PROSE, &error));
  loom_store_add_character (f->store, f->story, "Mara Voss", "stubborn", "salt-born", &error);
  loom_store_add_character (f->store, f->story, "Ivo", "quiet", NULL, &error);
  g_assert_no_error (error);

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  client = loom_ai_client_new (session);
  loom_ai_client_set_base_url (client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_api_key (client, "sk-test-key");
  loom_ai_client_set_model (client, "mock/novelist");
  loom_ai_client_set_retry_delay (client, 10);
  loom_ai_client_set_max_attempts (client, 2);
  f->generator = loom_generator_new (f->store, client);
  f->streamed = g_string_new (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->review);
  g_clear_error (&f->error);
  g_clear_object (&f->generator);
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  g_string_free (f->streamed, TRUE);
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  Fixture *f = user_data;

  g_string_append (f->streamed, delta);
}

static void
on_revised (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;

  f->review = loom_generator_revise_finish (LOOM_GENERATOR (source), result, &f->error);
  f->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
revise (Fixture                 *f,
        const LoomReviseRequest *request,
        GCancellable            *cancellable)
{
  g_clear_object (&f->review);
  g_clear_error (&f->error);
  g_string_truncate (f->streamed, 0);
  f->done = FALSE;
  loom_generator_revise_async (f->generator, f->scene, request, on_delta, f, cancellable,
                               on_revised, f);
  test_spin_until (is_done, f, "the revise request");
}

static LoomMockResponse *
answer (const char *const *deltas)
{
  LoomMockResponse *r = loom_mock_response_new ();

  r->deltas = g_strdupv ((char **) deltas);
  r->usage = TRUE;
  return r;
}

/* The byte range of @needle in PROSE. */
static LoomReviseRequest
request_for (LoomReviseAction  action,
             const char       *needle)
{
  LoomReviseRequest request = LOOM_REVISE_REQUEST_INIT;
  const char *at = strstr (PROSE, needle);

  g_assert_nonnull (at);
  request.action = action;
  request.from = at - PROSE;
  request.to = request.from + strlen (needle);
  return request;
}

static char *
sql (Fixture    *f,
     const char *query)
{
  return test_sql_value (f->path, query);
}

/* The review of one passage against one answer, by hand: what a reader would mark. */
static LoomReview *
review_of (Fixture    *f,
           const char *passage,
           const char *answer_text)
{
  return loom_review_new (f->scene, LOOM_REVISE_REWRITE, passage, 0, strlen (passage),
                          answer_text);
}

static char *
changes_of (LoomReview *review)
{
  return loom_review_format_diff (review);
}

static void
test_review_diff (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *passage, *answer, *diff;
  } cases[] = {
    { "The cat sat on the mat.", "The dog sat on the old mat.",
      "The [-cat-]{+dog+} sat on the{+ old+} mat." },
    { "Zoë’s café was closed.", "Zoë’s bistro was shut.",
      "Zoë’s [-café-]{+bistro+} was [-closed-]{+shut+}." },
    { "我今天去学校。", "我明天去学校。", "我[-今-]{+明+}天去学校。" },
    { "She left.  He stayed.", "She left. He stayed.", "She left.[-  -]{+ +}He stayed." },
    /* The answer's own blank lines around it do not count; the passage's stay. */
    { "  Dusk fell.\n", "\n\nNight fell.\n\n", "  [-Dusk-]{+Night+} fell.\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LoomReview) review = review_of (f, cases[i].passage, cases[i].answer);
      g_autofree char *diff = changes_of (review);
      g_autofree char *all = NULL;
      g_autofree char *none = NULL;

      g_assert_cmpstr (diff, ==, cases[i].diff);
      none = loom_review_get_text (review);
      g_assert_cmpstr (none, ==, cases[i].passage);
      loom_review_set_all (review, LOOM_CHANGE_ACCEPTED);
      all = loom_review_get_text (review);
      g_assert_cmpstr (all, ==, loom_review_get_answer (review));
    }
}

static void
test_review_subset (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LoomReview) review =
    review_of (f, "The old man walked slowly to the grey sea. 我今天去。",
               "The man ran to the silver sea at last. 我明天去。");
  g_autofree char *text = NULL;

  /* old · walked slowly → ran · grey → silver · + at last · 今 → 明 */
  g_assert_cmpuint (loom_review_get_n_changes (review), ==, 5);
  loom_review_set_state (review, 0, LOOM_CHANGE_ACCEPTED);
  loom_review_set_state (review, 1, LOOM_CHANGE_REJECTED);
  loom_review_set_state (review, 2, LOOM_CHANGE_ACCEPTED);
  loom_review_set_state (review, 4, LOOM_CHANGE_ACCEPTED);
  g_assert_cmpuint (loom_review_count (review, LOOM_CHANGE_ACCEPTED), ==, 3);
  g_assert_cmpuint (loom_review_count (review, LOOM_CHANGE_PENDING), ==, 1);
  text = loom_review_get_text (review);
  g_assert_cmpstr (text, ==, "The man walked slowly to the silver sea. 我明天去。");
}

static void
test_rewrite_applies_accepted (Fixture       *f,
                               gconstpointer  data)
{
  static const char *const deltas[] = { "The guard ", "was awake, ", "and watching.", NULL };
  LoomReviseRequest request = request_for (LOOM_REVISE_REWRITE, "The guard was asleep.");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) revision = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *diff = NULL;
  LoomReviseAction action;
  gint64 stamp = loom_scene_get_updated_at (f->scene);

  loom_mock_server_push (f->server, answer (deltas));
  request.extra = "more tension";
  revise (f, &request, NULL);
  g_assert_no_error (f->error);

  /* It streamed to the caller only. */
  g_assert_cmpstr (f->streamed->str, ==, "The guard was awake, and watching.");
  g_assert_cmpstr (test_scene_prose (f->scene), ==, PROSE);
  g_assert_cmpint (loom_scene_get_updated_at (f->scene), ==, stamp);
  diff = loom_review_format_diff (f->review);
  g_assert_cmpstr (diff, ==, "The guard was [-asleep-]{+awake, and watching+}.");
  g_assert_cmpfloat (loom_review_get_cost (f->review), >, 0);
  g_assert_cmpint (loom_review_get_completion_tokens (f->review), >, 0);

  kind = sql (f, "SELECT kind || ':' || outcome || ':' || scene_id FROM generations");
  g_assert_cmpstr (kind, ==, "rewrite:complete:2");
  tokens = sql (f, "SELECT prompt_tokens > 0 AND completion_tokens > 0 AND cost > 0"
                   " FROM generations");
  g_assert_cmpstr (tokens, ==, "1");

  loom_review_set_all (f->review, LOOM_CHANGE_ACCEPTED);
  g_assert_true (loom_review_apply (f->review, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==,
                   "Mara walked to the gate. The guard was awake, and watching. "
                   "She waited in the cold.");
  {
    g_autofree char *stored = sql (f, "SELECT prose FROM scenes WHERE id = 2");
    g_assert_cmpstr (stored, ==, test_scene_prose (f->scene));
  }

  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
  revision = g_list_model_get_item (revisions, 0);
  g_assert_cmpstr (loom_revision_get_prose (revision), ==, PROSE);
  g_assert_cmpint (loom_revision_get_origin (revision), ==, LOOM_REVISION_EDIT);
  g_assert_true (loom_store_get_revise_action_of (f->store, revision, &action));
  g_assert_cmpint (action, ==, LOOM_REVISE_REWRITE);
  linked = sql (f, "SELECT revision_id IS NOT NULL FROM generations");
  g_assert_cmpstr (linked, ==, "1");

  /* The free instruction is offered again. */
  {
    g_auto(GStrv) recent = loom_store_list_recent_instructions (f->store, f->story, &error);
    g_assert_cmpstrv (recent, ((const char *const[]) { "more tension", NULL }));
  }
}

static void
test_reject_one_accept_rest (Fixture       *f,
                             gconstpointer  data)
{
  static const char *const deltas[] = {
    "Mara ran to the gate. The guard was asleep. She waited in the dark.", NULL
  };
  LoomReviseRequest request = LOOM_REVISE_REQUEST_INIT;
  g_autoptr(GError) error = NULL;

  request.from = 0;
  request.to = strlen (PROSE);
  loom_mock_server_push (f->server, answer (deltas));
  revise (f, &request, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (loom_review_get_n_changes (f->review), ==, 2);

  loom_review_set_all (f->review, LOOM_CHANGE_ACCEPTED);
  loom_review_set_state (f->review, 0, LOOM_CHANGE_REJECTED);
  g_assert_true (loom_review_apply (f->review, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==,
                   "Mara walked to the gate. The guard was asleep. She waited in the dark.");
}

static void
test_continue_suggestion (Fixture       *f,
                          gconstpointer  data)
{
  static const char *const deltas[] = { "The gate opened.", NULL };
  LoomReviseRequest request = request_for (LOOM_REVISE_CONTINUE, "The guard was asleep.");
  g_autoptr(GError) error = NULL;

  request.continue_words = 40;
  loom_mock_server_push (f->server, answer (deltas));
  revise (f, &request, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (loom_review_get_n_changes (f->review), ==, 1);
  g_assert_cmpstr (loom_review_get_passage (f->review), ==, "");

  loom_review_set_all (f->review, LOOM_CHANGE_ACCEPTED);
  g_assert_true (loom_review_apply (f->review, &error));
  g_assert_cmpstr (test_scene_prose (f->scene), ==,
                   "Mara walked to the gate. The guard was asleep. The gate opened. "
                   "She waited in the cold.");
  {
    GPtrArray *requests = loom_mock_server_get_requests (f->server);
    LoomMockRequest *sent = g_ptr_array_index (requests, 0);

    g_assert_nonnull (strstr (sent->body, "about 40 words"));
  }
}

/* What the model is told: the outline, the characters the scene names, the text around the
 * passage, the passage and the instruction. */
static void
test_prompt (Fixture       *f,
             gconstpointer  data)
{
  LoomReviseRequest request = request_for (LOOM_REVISE_SHORTEN, "The guard was asleep.");
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  const char *user;
  g_autofree char *instruction = NULL;

  g_assert_true (loom_scene_load_prose (f->scene, &error));
  messages = loom_revise_build_messages (f->scene, &request, NULL, &error);
  g_assert_no_error (error);
  user = json_object_get_string_member (json_array_get_object_element (messages, 1), "content");
  g_assert_nonnull (strstr (user, "Mara reaches the gate."));
  g_assert_nonnull (strstr (user, "Mara Voss"));      /* named in the prose */
  g_assert_nonnull (strstr (user, "Ivo"));            /* named by the previous scene */
  g_assert_nonnull (strstr (user, "The text before the passage:\n\"\"\"\nMara walked to the gate."));
  g_assert_nonnull (strstr (user, "The passage:\n\"\"\"\nThe guard was asleep.\n\"\"\""));
  g_assert_nonnull (strstr (user, "She waited in the cold."));
  g_assert_nonnull (strstr (user, loom_revise_default_instruction (LOOM_REVISE_SHORTEN)));

  /* The story's own wording replaces the default, until it is reset. */
  g_assert_true (loom_store_set_revise_template (f->store, f->story, LOOM_REVISE_SHORTEN,
                                                 "Cut it to the bone.", &error));
  g_clear_pointer (&messages, json_array_unref);
  messages = loom_revise_build_messages (f->scene, &request, NULL, &error);
  user = json_object_get_string_member (json_array_get_object_element (messages, 1), "content");
  g_assert_nonnull (strstr (user, "Instruction: Cut it to the bone."));
  g_assert_null (strstr (user, loom_revise_default_instruction (LOOM_REVISE_SHORTEN)));
  instruction = loom_store_get_revise_template (f->store, f->story, LOOM_REVISE_SHORTEN, &error);
  g_assert_cmpstr (instruction, ==, "Cut it to the bone.");
  g_assert_true (loom_store_set_revise_template (f->store, f->story, LOOM_REVISE_SHORTEN, NULL,
                                                 &error));
  g_clear_pointer (&instruction, g_free);
  instruction = loom_store_get_revise_template (f->store, f->story, LOOM_REVISE_SHORTEN, &error);
  g_assert_null (instruction);
  g_assert_no_error (error);

  /* An instruction given for one request (the prompt dialog's) wins over both. */
  request.instruction = "Only this.";
  g_clear_pointer (&messages, json_array_unref);
  messages = loom_revise_build_messages (f->scene, &request, NULL, &error);
  user = json_object_get_string_member (json_array_get_object_element (messages, 1), "content");
  g_assert_nonnull (strstr (user, "Instruction: Only this."));
}

static void
test_recent_instructions (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recent = NULL;

  for (guint i = 0; i < LOOM_REVISE_RECENT_KEPT + 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("instruction %u", i);

      g_assert_true (loom_store_remember_instruction (f->store, f->story, text, &error));
      g_assert_no_error (error);
    }
  g_assert_true (loom_store_remember_instruction (f->store, f->story, "  instruction 10 ", &error));
  g_assert_true (loom_store_remember_instruction (f->store, f->story, "   ", &error));
  recent = loom_store_list_recent_instructions (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (recent), ==, LOOM_REVISE_RECENT_KEPT);
  g_assert_cmpstr (recent[0], ==, "instruction 10");
  g_assert_cmpstr (recent[1], ==, "instruction 24");
  g_assert_false (g_strv_contains ((const char *const *) recent, "instruction 4"));
}

/* Each story offers its own recent instructions and its own templates; a story deleted for
 * good takes them and its spending limit with it, while one restored from the trash keeps
 * them. */
static void
test_instructions_per_story (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *other = loom_store_create_story (f->store, "Other", "", "", &error);
  gint64 other_id = loom_story_get_id (other);
  g_autoptr(LoomDeletion) deletion = NULL;
  g_auto(GStrv) mine = NULL;
  g_auto(GStrv) theirs = NULL;
  g_autofree char *left = NULL;

  g_assert_no_error (error);
  g_assert_true (loom_store_remember_instruction (f->store, f->story, "colder", &error));
  g_assert_true (loom_store_remember_instruction (f->store, other, "warmer", &error));
  g_assert_true (loom_store_set_revise_template (f->store, other, LOOM_REVISE_EXPAND,
                                                 "Longer, please.", &error));
  g_assert_true (loom_store_set_spending_limit (f->store, other, 2.5, &error));
  g_assert_no_error (error);
  mine = loom_store_list_recent_instructions (f->store, f->story, &error);
  theirs = loom_store_list_recent_instructions (f->store, other, &error);
  g_assert_cmpstrv (mine, ((const char *const[]) { "colder", NULL }));
  g_assert_cmpstrv (theirs, ((const char *const[]) { "warmer", NULL }));

  /* To the trash and back: all kept. */
  deletion = loom_store_delete_story (f->store, other, &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_no_error (error);
  left = sql (f, "SELECT (SELECT count(*) FROM story_instructions)"
                 " || (SELECT count(*) FROM revise_templates)"
                 " || (SELECT count(*) FROM story_spending_limits)");
  g_assert_cmpstr (left, ==, "211");
  g_clear_pointer (&left, g_free);
  g_clear_object (&deletion);
  other = loom_store_lookup_story (f->store, other_id);

  /* Deleted for good: nothing of it is left, and the first story keeps its own. */
  deletion = loom_store_delete_story (f->store, other, &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_empty_trash (f->store, &error));
  g_assert_no_error (error);
  left = sql (f, "SELECT (SELECT count(*) FROM story_instructions)"
                 " || (SELECT count(*) FROM revise_templates)"
                 " || (SELECT count(*) FROM story_spending_limits)");
  g_assert_cmpstr (left, ==, "100");
}

/* Refused with a sentence before any request: nothing reaches the server. */
static void
test_too_long_for_context (Fixture       *f,
                           gconstpointer  data)
{
  LoomReviseRequest request = request_for (LOOM_REVISE_EXPAND, PROSE);

  request.context_tokens = 200;
  revise (f, &request, NULL);
  g_assert_error (f->error, LOOM_AI_ERROR, LOOM_AI_ERROR_CONTEXT_TOO_LONG);
  g_assert_nonnull (strstr (f->error->message, "shorter passage"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, PROSE);

  request.to = request.from;
  revise (f, &request, NULL);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  request.action = LOOM_REVISE_ASK;
  request.to = strlen (PROSE);
  request.context_tokens = 0;
  revise (f, &request, NULL);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  /* Not on a character's boundary */
  request.action = LOOM_REVISE_REWRITE;
  request.to = strlen (PROSE) + 1;
  revise (f, &request, NULL);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
}

static void
on_catalog_refreshed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_true (loom_model_catalog_refresh_finish (result, &f->error));
  f->done = TRUE;
}

/* The whole prose, @repeats times @sentence, as a Rewrite of all of it. */
static LoomReviseRequest
whole_prose (Fixture    *f,
             const char *sentence,
             guint       repeats)
{
  LoomReviseRequest request = LOOM_REVISE_REQUEST_INIT;
  g_autoptr(GString) prose = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < repeats; i++)
    g_string_append (prose, sentence);
  g_assert_true (loom_scene_set_prose (f->scene, prose->str, &error));
  g_assert_no_error (error);
  request.to = prose->len;
  return request;
}

/* The model's own context, from its server's list, decides; 32,768 tokens only when the
 * server did not give it. The sentence names the limit and the model. */
static void
test_context_from_catalog (Fixture       *f,
                           gconstpointer  data)
{
  static const char *const done[] = { "Short.", NULL };
  LoomAiClient *client = loom_generator_get_client (f->generator);
  /* about 4,000 tokens: twice that with its answer, more than mock/tiny's 8,192 */
  LoomReviseRequest request = whole_prose (f, "The wind bit at the tents all night. ", 440);
  g_autofree char *tiny = g_strdup_printf ("%'u", 8192);
  g_autofree char *assumed = g_strdup_printf ("%'u", LOOM_REVISE_ASSUMED_CONTEXT);
  g_autofree char *prose = g_strdup (test_scene_prose (f->scene));

  /* The list never fetched: the assumed context holds it, so it is sent. */
  loom_ai_client_set_model (client, "mock/tiny");
  loom_mock_server_push (f->server, answer (done));
  revise (f, &request, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);

  f->done = FALSE;
  loom_model_catalog_refresh_async (f->store, client, TRUE, NULL, on_catalog_refreshed, f);
  test_spin_until (is_done, f, "the list of models");
  g_assert_no_error (f->error);
  revise (f, &request, NULL);
  g_assert_error (f->error, LOOM_AI_ERROR, LOOM_AI_ERROR_CONTEXT_TOO_LONG);
  g_test_message ("%s", f->error->message);
  g_assert_nonnull (strstr (f->error->message, "mock/tiny"));
  g_assert_nonnull (strstr (f->error->message, tiny));
  g_assert_null (strstr (f->error->message, assumed));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, prose);

  /* A larger model of the same server takes it. */
  loom_ai_client_set_model (client, "anthropic/claude-3.5-sonnet");
  loom_mock_server_push (f->server, answer (done));
  revise (f, &request, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);

  /* A model the list does not name: 32,768 assumed, and said so. */
  loom_ai_client_set_model (client, "mock/unlisted");
  request = whole_prose (f, "The wind bit at the tents all night. ", 4000);
  revise (f, &request, NULL);
  g_assert_error (f->error, LOOM_AI_ERROR, LOOM_AI_ERROR_CONTEXT_TOO_LONG);
  g_test_message ("%s", f->error->message);
  g_assert_nonnull (strstr (f->error->message, "mock/unlisted"));
  g_assert_nonnull (strstr (f->error->message, assumed));
  g_assert_nonnull (strstr (f->error->message, "does not say"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);

  /* A context the caller gives (storyloom-cli revise --context) wins over the list. */
  loom_ai_client_set_model (client, "mock/tiny");
  request = whole_prose (f, "The wind bit at the tents all night. ", 440);
  request.context_tokens = 100000;
  loom_mock_server_push (f->server, answer (done));
  revise (f, &request, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 3);
}

typedef enum
{
  FAIL_STATUS,
  FAIL_MID_STREAM,
  FAIL_TRUNCATED,
  FAIL_DROPPED,
  FAIL_STALL,
  FAIL_CANCEL,
  FAIL_EMPTY,
} FailKind;

static void
push_failure (Fixture  *f,
              FailKind  kind,
              guint     status)
{
  LoomMockResponse *r = loom_mock_response_new ();

  r->n_deltas = 30;
  switch (kind)
    {
    case FAIL_STATUS:
      r->status = status;
      r->error_message = g_strdup ("Refused by the mock");
      break;
    case FAIL_MID_STREAM:
      r->error_after = 5;
      r->error_message = g_strdup ("Upstream provider overloaded");
      break;
    case FAIL_TRUNCATED:
      r->truncate_after = 5;
      break;
    case FAIL_DROPPED:
      r->truncate_after = 5;
      r->abort = TRUE;
      break;
    case FAIL_STALL:
      r->hold_open = TRUE;
      loom_ai_client_set_timeouts (loom_generator_get_client (f->generator), 300, 0, 0);
      loom_ai_client_set_max_attempts (loom_generator_get_client (f->generator), 1);
      break;
    case FAIL_CANCEL:
      r->n_deltas = 400;
      r->delay_ms = 20;
      break;
    case FAIL_EMPTY:
      r->deltas = g_strdupv ((char *[]) { "  ", "\n", NULL });
      break;
    }
  /* Every attempt gets it, however many the client makes; the next run sets it back. */
  loom_mock_server_set_default (f->server, r);
  loom_mock_response_free (r);
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_failures_leave_prose (Fixture       *f,
                           gconstpointer  data)
{
  static const guint statuses[] = { 400, 401, 402, 403, 404, 408, 429, 500, 502, 503 };
  LoomReviseRequest request = request_for (LOOM_REVISE_REWRITE, "The guard was asleep.");
  g_autofree char *scenes_before = NULL;
  guint n_runs = 0;

  scenes_before = sql (f, "SELECT prose || updated_at || prose_origin FROM scenes WHERE id = 2");
  for (FailKind kind = FAIL_STATUS; kind <= FAIL_EMPTY; kind++)
    for (guint s = 0; s < (kind == FAIL_STATUS ? G_N_ELEMENTS (statuses) : 1); s++)
      {
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();
        g_autofree char *scene_now = NULL;
        g_autofree char *revisions = NULL;
        g_autofree char *outcome = NULL;

        push_failure (f, kind, statuses[s]);
        if (kind == FAIL_CANCEL)
          g_timeout_add (100, cancel_soon, cancellable);
        revise (f, &request, cancellable);
        n_runs++;
        {
          g_autoptr(LoomMockResponse) normal = loom_mock_response_new ();
          loom_mock_server_set_default (f->server, normal);
        }

        g_assert_null (f->review);
        g_assert_nonnull (f->error);
        if (kind == FAIL_CANCEL)
          g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        else
          g_assert_true (f->error->domain == LOOM_AI_ERROR);
        g_assert_cmpuint (strlen (f->error->message), >, 10);

        /* Byte for byte as before, in the mirror and in the file; nothing kept as a revision
         * because nothing was replaced. */
        g_assert_cmpstr (test_scene_prose (f->scene), ==, PROSE);
        scene_now = sql (f, "SELECT prose || updated_at || prose_origin FROM scenes WHERE id = 2");
        g_assert_cmpstr (scene_now, ==, scenes_before);
        revisions = sql (f, "SELECT count (*) FROM scene_revisions");
        g_assert_cmpstr (revisions, ==, "0");
        outcome = sql (f, "SELECT outcome FROM generations ORDER BY id DESC LIMIT 1");
        g_assert_cmpstr (outcome, ==, kind == FAIL_CANCEL ? "cancelled" : "error");
      }
  {
    g_autofree char *rows = sql (f, "SELECT count (*) FROM generations WHERE kind = 'rewrite'");
    g_autofree char *expected = g_strdup_printf ("%u", n_runs);
    g_assert_cmpstr (rows, ==, expected);
  }
}

/* Typed into, or changed by another program, after the request: not applied. */
static void
test_changed_meanwhile (Fixture       *f,
                        gconstpointer  data)
{
  static const char *const deltas[] = { "The guard snored.", NULL };
  LoomReviseRequest request = request_for (LOOM_REVISE_REWRITE, "The guard was asleep.");
  g_autoptr(GError) error = NULL;
  g_autofree char *revisions = NULL;

  loom_mock_server_push (f->server, answer (deltas));
  revise (f, &request, NULL);
  g_assert_no_error (f->error);
  /* The passage itself changed: refused, nothing written. */
  g_assert_true (loom_scene_set_prose (f->scene, "Mara walked to the gate. The guard was awake. "
                                       "She waited in the cold.", &error));
  loom_review_set_all (f->review, LOOM_CHANGE_ACCEPTED);
  g_assert_false (loom_review_apply (f->review, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==,
                   "Mara walked to the gate. The guard was awake. She waited in the cold.");
  revisions = sql (f, "SELECT count (*) FROM scene_revisions");
  g_assert_cmpstr (revisions, ==, "0");
  g_clear_pointer (&revisions, g_free);

  /* Words typed before and after it elsewhere: merged, the typing kept, the prose before
   * kept as a revision. */
  g_assert_true (loom_scene_set_prose (f->scene, "Dawn. " PROSE " More typed.", &error));
  g_assert_true (loom_review_apply (f->review, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==,
                   "Dawn. Mara walked to the gate. The guard snored. She waited in the cold. "
                   "More typed.");
  revisions = sql (f, "SELECT prose FROM scene_revisions");
  g_assert_cmpstr (revisions, ==, "Dawn. " PROSE " More typed.");
  g_clear_pointer (&revisions, g_free);

  /* The passage twice: no single place for the changes, refused. */
  g_assert_true (loom_scene_set_prose (f->scene, "The guard was asleep. The guard was asleep.",
                                       &error));
  g_assert_false (loom_review_apply (f->review, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_assert_cmpstr (test_scene_prose (f->scene), ==,
                   "The guard was asleep. The guard was asleep.");
}

/* A library of version 5 opens with its data unchanged and can record revise requests. */
static void
test_migrate_from_v5 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *version = NULL;
  gint64 scene_id = loom_scene_get_id (f->scene);

  g_clear_object (&f->generator);
  g_clear_object (&f->store);
  test_sql_exec (f->path,
                 TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "DROP TABLE revise_templates; DROP TABLE revise_instructions;"
                 "DROP TABLE scene_inputs;"
                 "DROP TABLE word_log; DROP TABLE trash_word_log;"
                 "PRAGMA writable_schema = ON;"
                 "UPDATE sqlite_schema SET sql = replace (sql, ', ''continue'', ''rewrite'',"
                 " ''expand'', ''shorten'', ''describe'', ''ask''', '')"
                 " WHERE name = 'generations';"
                 "PRAGMA writable_schema = OFF;"
                 TEST_SQL_UNDO_V9
                 "PRAGMA user_version = 5");
  {
    g_autofree char *check = sql (f, "SELECT instr (sql, 'rewrite') FROM sqlite_schema"
                                     " WHERE name = 'generations'");
    g_assert_cmpstr (check, ==, "0");
  }
  dump_before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = sql (f, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  dump_after = test_dump_library (f->path);
  g_assert_cmpstr (dump_after, ==, dump_before);

  f->scene = loom_store_lookup_scene (f->store, scene_id);
  g_assert_cmpint (loom_store_begin_revise (f->store, f->scene, LOOM_REVISE_DESCRIBE, "m/x",
                                            &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (loom_store_set_revise_template (f->store, loom_store_lookup_story (f->store, 1),
                                                 LOOM_REVISE_EXPAND, "More.", &error));
  g_assert_no_error (error);
}

/* A library of version 14 opens with its data unchanged; its recent free instructions, then
 * one list for the whole library, are offered in each of its stories. */
static void
test_migrate_from_v14 (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *version = NULL;
  LoomStory *other = loom_store_create_story (f->store, "Other", "", "", &error);
  gint64 other_id = loom_story_get_id (other);
  g_auto(GStrv) recent = NULL;
  gint64 budget = -1;

  g_assert_no_error (error);
  g_clear_object (&f->generator);
  g_clear_object (&f->store);
  test_sql_exec (f->path, TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15
                 "INSERT INTO revise_instructions (instruction, used_at)"
                 "  VALUES ('older', 1), ('newer', 2);"
                 "PRAGMA user_version = 14");
  dump_before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = sql (f, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  dump_after = test_dump_library (f->path);
  g_assert_cmpstr (dump_after, ==, dump_before);

  recent = loom_store_list_recent_instructions (f->store, loom_store_lookup_story (f->store, 1),
                                                &error);
  g_assert_cmpstrv (recent, ((const char *const[]) { "newer", "older", NULL }));
  g_clear_pointer (&recent, g_strfreev);
  recent = loom_store_list_recent_instructions (f->store,
                                                loom_store_lookup_story (f->store, other_id),
                                                &error);
  g_assert_cmpstrv (recent, ((const char *const[]) { "newer", "older", NULL }));

  /* and it takes settings */
  g_assert_true (loom_store_get_setting (f->store, LOOM_SETTING_CONTEXT_BUDGET, &budget, &error));
  g_assert_cmpint (budget, ==, -1);
  g_assert_true (loom_store_set_setting (f->store, LOOM_SETTING_CONTEXT_BUDGET, 9000, &error));
  g_assert_true (loom_store_get_setting (f->store, LOOM_SETTING_CONTEXT_BUDGET, &budget, &error));
  g_assert_cmpint (budget, ==, 9000);
  g_assert_true (loom_store_unset_setting (f->store, LOOM_SETTING_CONTEXT_BUDGET, &error));
  budget = -1;
  g_assert_true (loom_store_get_setting (f->store, LOOM_SETTING_CONTEXT_BUDGET, &budget, &error));
  g_assert_cmpint (budget, ==, -1);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/revise/review/diff", test_review_diff);
  ADD ("/revise/review/subset", test_review_subset);
  ADD ("/revise/rewrite-applies-accepted", test_rewrite_applies_accepted);
  ADD ("/revise/reject-one-accept-rest", test_reject_one_accept_rest);
  ADD ("/revise/continue-suggestion", test_continue_suggestion);
  ADD ("/revise/prompt", test_prompt);
  ADD ("/revise/recent-instructions", test_recent_instructions);
  ADD ("/revise/instructions-per-story", test_instructions_per_story);
  ADD ("/revise/migrate-from-v14", test_migrate_from_v14);
  ADD ("/revise/too-long-for-context", test_too_long_for_context);
  ADD ("/revise/context-from-catalog", test_context_from_catalog);
  ADD ("/revise/failures-leave-prose", test_failures_leave_prose);
  ADD ("/revise/changed-meanwhile", test_changed_meanwhile);
  ADD ("/revise/migrate-from-v5", test_migrate_from_v5);
#undef ADD

  return g_test_run ();
}
