/* test-generator.c: drafting scenes against the mock OpenRouter server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generator"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "loom-ai-client.h"
#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-generator.h"
#include "loom-mock-server.h"
#include "loom-prompt.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

typedef struct
{
  char           *dir;
  char           *path;
  LoomStore      *store;
  LoomStory      *story;
  LoomChapter    *chapter;
  LoomMockServer *server;
  LoomGenerator  *generator;
  GPtrArray      *finished;   /* "number:ok", "number:error" or "number:cancelled" */
  GString        *started;
} Fixture;

static void
on_started (LoomGenerator *generator,
            LoomScene     *scene,
            Fixture       *f)
{
  g_string_append_printf (f->started, "%u ", loom_scene_get_number (scene));
}

static void
on_finished (LoomGenerator *generator,
             LoomScene     *scene,
             const GError  *error,
             Fixture       *f)
{
  g_ptr_array_add (f->finished,
                   error ? g_strdup_printf ("%u:%s", loom_scene_get_number (scene),
                                            error->domain == G_IO_ERROR ? "cancelled" : "error")
                         : g_strdup_printf ("%u:ok", loom_scene_get_number (scene)));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(LoomAiClient) client = NULL;

  f->store = test_library_open ("storyloom-gen-XXXXXX", &f->dir, &f->path);
  f->story = loom_store_create_story (f->store, "The Salt Road", "A caravan crosses a dead sea.",
                                      "Spare, present tense.", &error);
  f->chapter = loom_store_add_chapter (f->store, f->story, 0, "Departure", &error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *outline = g_strdup_printf ("Mara does thing %u", i + 1);
      loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, outline, &error);
      g_assert_no_error (error);
    }
  loom_store_add_character (f->store, f->story, "Mara Voss", "stubborn", "salt-born", &error);
  g_assert_no_error (error);

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  client = loom_ai_client_new (session);
  loom_ai_client_set_base_url (client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_api_key (client, "sk-test-key");
  loom_ai_client_set_model (client, "mock/novelist");
  loom_ai_client_set_retry_delay (client, 10);
  f->generator = loom_generator_new (f->store, client);
  f->finished = g_ptr_array_new_with_free_func (g_free);
  f->started = g_string_new (NULL);
  g_signal_connect (f->generator, "scene-finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->generator, "scene-started", G_CALLBACK (on_started), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->generator);
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  g_ptr_array_unref (f->finished);
  g_string_free (f->started, TRUE);
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static LoomScene *
scene_at (Fixture *f,
          guint    i)
{
  g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (f->chapter), i);
  return scene;
}

static void
wait_idle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (loom_generator_get_busy (f->generator) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (loom_generator_get_busy (f->generator));
}

/* Jobs start one per turn of the main loop: turn it until @n run. */
static void
wait_running (Fixture *f,
              guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (loom_generator_get_n_running (f->generator) < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (loom_generator_get_n_running (f->generator), ==, n);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* What finished, sorted: parallel jobs end in any order. */
static char *
finished_log (Fixture *f)
{
  g_ptr_array_sort (f->finished, compare_strings);
  g_ptr_array_add (f->finished, NULL);
  {
    char *joined = g_strjoinv (" ", (char **) f->finished->pdata);
    g_ptr_array_set_size (f->finished, 0);
    return joined;
  }
}

static LoomMockResponse *
respond (const char *const *deltas,
         guint              delay_ms)
{
  LoomMockResponse *r = loom_mock_response_new ();

  r->deltas = g_strdupv ((char **) deltas);
  r->delay_ms = delay_ms;
  r->usage = TRUE;
  return r;
}

typedef struct
{
  GString *statuses;
  guint    prose_changes;
} Watch;

static void
on_status (LoomScene  *scene,
           GParamSpec *pspec,
           Watch      *w)
{
  g_string_append_printf (w->statuses, "%s ",
                          loom_scene_status_to_string (loom_scene_get_status (scene)));
}

static void
on_prose (LoomScene  *scene,
          GParamSpec *pspec,
          Watch      *w)
{
  w->prose_changes++;
}

static void
test_generate_scene (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const deltas[] = { "Mara ", "lifted ", "the ", "bell. ", "Zoë’s ", "🦊", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomScene *scene = scene_at (f, 1);
  Watch w = { g_string_new (NULL), 0 };

  g_signal_connect (scene, "notify::status", G_CALLBACK (on_status), &w);
  g_signal_connect (scene, "notify::prose", G_CALLBACK (on_prose), &w);
  loom_mock_server_push (f->server, respond (deltas, 5));

  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  g_assert_no_error (error);
  wait_idle (f);

  g_assert_cmpstr (w.statuses->str, ==, "generating complete ");
  g_assert_cmpuint (w.prose_changes, >=, 6);
  g_assert_cmpstr (loom_scene_get_prose (scene), ==, "Mara lifted the bell. Zoë’s 🦊");
  g_assert_cmpuint (loom_scene_get_word_count (scene), ==, 5);
  g_assert_cmpuint (loom_scene_get_regeneration_count (scene), ==, 0);
  {
    g_autofree char *stored = test_sql_value (f->path, "SELECT prose || '|' || status FROM scenes"
                                                       " WHERE scene_number = 2");
    g_autofree char *row = test_sql_value (f->path,
      "SELECT outcome || '|' || model || '|' || (prompt_tokens > 0) || '|' || completion_tokens"
      " || '|' || (inputs IS NOT NULL) FROM generations");
    g_assert_cmpstr (stored, ==, "Mara lifted the bell. Zoë’s 🦊|complete");
    g_assert_cmpstr (row, ==, "complete|mock/novelist|1|6|1");
  }
  /* The request carried the outline and the character named in it. */
  {
    GPtrArray *requests = loom_mock_server_get_requests (f->server);
    LoomMockRequest *request = g_ptr_array_index (requests, requests->len - 1);

    g_assert_nonnull (strstr (request->body, "Mara does thing 2"));
    g_assert_nonnull (strstr (request->body, "Mara Voss"));
    g_assert_nonnull (strstr (request->body, "\"stream\":true"));
  }
  g_signal_handlers_disconnect_by_data (scene, &w);
  g_string_free (w.statuses, TRUE);

  /* Again: the finished prose becomes a revision and the scene counts a regeneration. */
  loom_mock_server_push (f->server, respond ((const char *const[]) { "New ", "words.", NULL }, 0));
  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  wait_idle (f);
  g_assert_cmpstr (loom_scene_get_prose (scene), ==, "New words.");
  g_assert_cmpuint (loom_scene_get_regeneration_count (scene), ==, 1);
  revisions = loom_store_list_revisions (f->store, scene, &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
  {
    g_autoptr(LoomRevision) r = g_list_model_get_item (revisions, 0);
    g_assert_cmpstr (loom_revision_get_prose (r), ==, "Mara lifted the bell. Zoë’s 🦊");
  }
  {
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (log, ==, "2:ok 2:ok");
  }
}

/* The scene's mark as views see it once the main loop ran. */
static guint
stale_of (Fixture   *f,
          LoomScene *scene)
{
  loom_store_update_outdated (f->store);
  return loom_scene_get_stale_inputs (scene);
}

/* A generation records what its prompt used; a change to one of those marks the scene. */
static void
test_staleness (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = scene_at (f, 1);
  g_autoptr(LoomCharacter) mara = g_list_model_get_item (loom_story_get_characters (f->story), 0);

  /* Never generated: nothing to be outdated against. */
  g_assert_cmpuint (stale_of (f, scene), ==, 0);
  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  wait_idle (f);
  g_assert_cmpuint (stale_of (f, scene), ==, 0);

  g_assert_true (loom_scene_set_outline (scene, "Mara Voss sells the bell", &error));
  g_assert_cmpuint (stale_of (f, scene), ==, LOOM_SCENE_INPUT_OUTLINE);
  g_assert_true (loom_character_set_traits (mara, "stubborn, afraid of water", &error));
  g_assert_true (loom_scene_set_outline (scene_at (f, 3), "A later scene", &error));
  g_assert_cmpuint (stale_of (f, scene), ==,
                    LOOM_SCENE_INPUT_OUTLINE | LOOM_SCENE_INPUT_CHARACTER |
                    LOOM_SCENE_INPUT_CHAPTER);

  /* Generating again brings it up to date. */
  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  wait_idle (f);
  g_assert_cmpuint (stale_of (f, scene), ==, 0);
  g_assert_false (loom_scene_get_outdated (scene));
}

static void
test_error_mid_stream_keeps_prose (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomMockResponse *r = loom_mock_response_new ();
  LoomScene *scene = scene_at (f, 0);

  g_assert_true (loom_scene_set_prose (scene, "My own opening, typed by hand.", &error));
  r->n_deltas = 20;
  r->error_after = 5;
  r->error_message = g_strdup ("Upstream provider overloaded");
  loom_mock_server_push (f->server, r);

  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  wait_idle (f);

  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_ERROR);
  g_assert_nonnull (strstr (loom_scene_get_error_message (scene), "Upstream provider overloaded"));
  g_assert_cmpstr (loom_scene_get_prose (scene), ==, "My own opening, typed by hand.");
  revisions = loom_store_list_revisions (f->store, scene, &error);
  {
    g_autoptr(LoomRevision) partial = g_list_model_get_item (revisions, 0);
    g_assert_cmpint (loom_revision_get_origin (partial), ==, LOOM_REVISION_PARTIAL);
    g_assert_cmpuint (strlen (loom_revision_get_prose (partial)), >, 0);
  }
  {
    g_autofree char *stored = test_sql_value (f->path, "SELECT prose FROM scenes WHERE id = 1");
    g_autofree char *outcome = test_sql_value (f->path, "SELECT outcome FROM generations");
    g_assert_cmpstr (stored, ==, "My own opening, typed by hand.");
    g_assert_cmpstr (outcome, ==, "error");
  }
  {
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (log, ==, "1:error");
  }
}

static void
on_first_prose_cancel (LoomScene     *scene,
                       GParamSpec    *pspec,
                       LoomGenerator *generator)
{
  const char *prose = loom_scene_get_prose (scene);

  if (prose != NULL && strlen (prose) > 10)
    loom_generator_cancel_scene (generator, scene);
}

static void
test_cancel_mid_stream (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomMockResponse *r = loom_mock_response_new ();
  LoomScene *scene = scene_at (f, 2);
  gint64 started;

  g_assert_true (loom_scene_set_prose (scene, "Kept.", &error));
  g_assert_true (loom_scene_set_status (scene, LOOM_SCENE_STATUS_COMPLETE, NULL, &error));
  r->n_deltas = 400;
  r->delay_ms = 20;
  loom_mock_server_push (f->server, r);

  g_signal_connect (scene, "notify::prose", G_CALLBACK (on_first_prose_cancel), f->generator);
  started = g_get_monotonic_time ();
  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  wait_idle (f);
  /* 400 deltas at 20 ms would take 8 s; cancelling ends it long before. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);

  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpstr (loom_scene_get_prose (scene), ==, "Kept.");
  revisions = loom_store_list_revisions (f->store, scene, &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 2); /* replaced + partial */
  {
    g_autofree char *outcome = test_sql_value (f->path, "SELECT outcome FROM generations");
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (outcome, ==, "cancelled");
    g_assert_cmpstr (log, ==, "3:cancelled");
  }
}

/* Another program deletes the scene once the first words arrived; the window notices at
 * once (a refresh) or, like storyloom-cli, only when the draft is stored. */
typedef struct
{
  Fixture  *f;
  gboolean  refresh;
  gboolean  deleted;
} DeleteElsewhere;

static void
on_first_prose_delete (LoomScene       *scene,
                       GParamSpec      *pspec,
                       DeleteElsewhere *d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) other = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  const char *prose = loom_scene_get_prose (scene);

  if (d->deleted || prose == NULL || strlen (prose) < 10)
    return;
  d->deleted = TRUE;
  other = loom_store_open (d->f->path, &error);
  g_assert_no_error (error);
  deletion = loom_store_delete_scene (other, loom_store_lookup_scene (other,
                                                                      loom_scene_get_id (scene)),
                                      &error);
  g_assert_no_error (error);
  loom_store_close (other);
  if (d->refresh)
    g_assert_true (loom_store_refresh (d->f->store, NULL, &error));
}

static void
on_finished_message (LoomGenerator  *generator,
                     LoomScene      *scene,
                     const GError   *error,
                     char          **message)
{
  g_free (*message);
  *message = g_strdup (error ? error->message : NULL);
}

/* Issue 10: the scene is deleted elsewhere while it is drafted here. The draft becomes a new
 * scene with the same outline, and a sentence says where. */
static void
test_deleted_while_drafted (Fixture       *f,
                            gconstpointer  data)
{
  static const char *const deltas[] = {
    "The salt ", "flats ", "shone ", "white ", "under ", "the moon.", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(LoomScene) scene = g_object_ref (scene_at (f, 2));
  DeleteElsewhere d = { f, GPOINTER_TO_INT (data), FALSE };
  GListModel *scenes = loom_chapter_get_scenes (f->chapter);

  loom_mock_server_push (f->server, respond (deltas, 30));
  g_signal_connect (scene, "notify::prose", G_CALLBACK (on_first_prose_delete), &d);
  g_signal_connect (f->generator, "scene-finished", G_CALLBACK (on_finished_message), &message);
  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_signal_handlers_disconnect_by_data (scene, &d);
  g_assert_true (d.deleted);

  g_assert_cmpuint (g_list_model_get_n_items (scenes), ==, 5);
  {
    g_autoptr(LoomScene) kept = g_list_model_get_item (scenes, 4);
    g_autofree char *stored = NULL;
    g_autofree char *sql = g_strdup_printf ("SELECT prose || '|' || outline FROM scenes"
                                            " WHERE id = %" G_GINT64_FORMAT,
                                            loom_scene_get_id (kept));

    g_assert_true (kept != scene);
    stored = test_sql_value (f->path, sql);
    g_assert_cmpstr (stored, ==, "The salt flats shone white under the moon.|Mara does thing 3");
  }
  g_assert_cmpstr (message, ==, "Chapter 1 · Scene 3 was deleted by another program while it "
                                "was being drafted. The draft is kept as Chapter 1 · Scene 5.");
}

static void
test_concurrency_and_queue (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomMockResponse *slow = loom_mock_response_new ();
  guint queued;

  slow->n_deltas = 8;
  slow->delay_ms = 15;
  loom_mock_server_set_default (f->server, slow);
  loom_mock_response_free (slow);
  loom_generator_set_max_jobs (f->generator, 2);
  /* Drafting a chapter's scenes side by side is the writer's explicit choice. */
  loom_generator_set_parallel_batches (f->generator, TRUE);

  queued = loom_generator_generate_chapter (f->generator, f->chapter, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued, ==, 5);
  /* One starts at once, the next in a later turn: two starts in one turn would hold the
   * window's frames. */
  g_assert_cmpuint (loom_generator_get_n_running (f->generator), ==, 1);
  g_assert_cmpuint (loom_generator_get_n_queued (f->generator), ==, 4);
  wait_running (f, 2);
  g_assert_cmpuint (loom_generator_get_n_queued (f->generator), ==, 3);
  g_assert_false (loom_scene_get_queued (scene_at (f, 0)));
  g_assert_true (loom_scene_get_queued (scene_at (f, 4)));
  g_assert_cmpint (loom_scene_get_status (scene_at (f, 0)), ==, LOOM_SCENE_STATUS_GENERATING);

  wait_idle (f);
  g_assert_cmpstr (f->started->str, ==, "1 2 3 4 5 ");
  g_assert_cmpuint (loom_mock_server_get_max_in_flight (f->server), ==, 2);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 5);
  g_assert_false (loom_scene_get_queued (scene_at (f, 4)));
  {
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (log, ==, "1:ok 2:ok 3:ok 4:ok 5:ok");
  }

  /* Without --regenerate only scenes without prose or in error go again. */
  g_assert_true (loom_scene_set_status (scene_at (f, 3), LOOM_SCENE_STATUS_ERROR, "x", &error));
  queued = loom_generator_generate_story (f->generator, f->story, FALSE, &error);
  g_assert_cmpuint (queued, ==, 1);
  wait_idle (f);
  queued = loom_generator_generate_story (f->generator, f->story, TRUE, &error);
  g_assert_cmpuint (queued, ==, 5);
  loom_generator_cancel_all (f->generator);
  wait_idle (f);
  {
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (log, ==, "1:cancelled 2:cancelled 3:cancelled 4:cancelled 4:ok 5:cancelled");
  }
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (loom_scene_get_status (scene_at (f, i)), ==, LOOM_SCENE_STATUS_COMPLETE);
      g_assert_false (loom_scene_get_queued (scene_at (f, i)));
    }
}

/* The user message of request @i, as the server received it. */
static char *
request_prompt (Fixture *f,
                guint    i)
{
  GPtrArray *requests = loom_mock_server_get_requests (f->server);
  LoomMockRequest *request = g_ptr_array_index (requests, i);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *messages;

  json_parser_load_from_data (parser, request->body, -1, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "messages");
  return g_strdup (json_object_get_string_member (json_array_get_object_element (messages, 1),
                                                  "content"));
}

/* Generate Chapter drafts in story order, each scene after the one before has finished, so
 * that every prompt carries how the previous scene ends. */
static void
test_batch_in_story_order (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint queued;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("Scene %u begins. It ends with the bell %u.",
                                               i + 1, i + 1);
      loom_mock_server_push (f->server, respond ((const char *const[]) { text, NULL }, 5));
    }
  loom_generator_set_max_jobs (f->generator, 3);
  g_assert_false (loom_generator_get_parallel_batches (f->generator));

  queued = loom_generator_generate_chapter (f->generator, f->chapter, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued, ==, 5);
  g_assert_cmpuint (loom_generator_get_n_running (f->generator), ==, 1);
  g_assert_cmpuint (loom_generator_get_n_queued (f->generator), ==, 4);
  wait_idle (f);

  g_assert_cmpstr (f->started->str, ==, "1 2 3 4 5 ");
  g_assert_cmpuint (loom_mock_server_get_max_in_flight (f->server), ==, 1);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 5);
  {
    g_autofree char *first = request_prompt (f, 0);
    g_assert_nonnull (strstr (first, "This is the first scene of the story."));
  }
  for (guint i = 1; i < 5; i++)
    {
      g_autofree char *prompt = request_prompt (f, i);
      g_autofree char *ending = g_strdup_printf ("It ends with the bell %u.", i);

      g_assert_nonnull (strstr (prompt, "The previous scene ends:"));
      g_assert_nonnull (strstr (prompt, ending));
      g_assert_null (strstr (prompt, "not written yet"));
    }
  {
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (log, ==, "1:ok 2:ok 3:ok 4:ok 5:ok");
  }

  /* A single scene beside a batch does not wait for it. */
  g_assert_true (loom_scene_set_status (scene_at (f, 1), LOOM_SCENE_STATUS_ERROR, "x", &error));
  g_assert_true (loom_scene_set_status (scene_at (f, 2), LOOM_SCENE_STATUS_ERROR, "x", &error));
  loom_mock_server_reset_counters (f->server);
  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter, FALSE, &error),
                    ==, 2);
  g_assert_true (loom_generator_generate_scene (f->generator, scene_at (f, 4), &error));
  wait_running (f, 2);
  wait_idle (f);
}

/* Parallel drafting, when chosen: the later scenes' prompts say the previous is not written. */
static void
test_batch_in_parallel (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomMockResponse *slow = loom_mock_response_new ();
  g_autoptr(LoomPrompt) prompt = NULL;

  slow->n_deltas = 4;
  slow->delay_ms = 20;
  loom_mock_server_set_default (f->server, slow);
  loom_mock_response_free (slow);
  loom_generator_set_max_jobs (f->generator, 2);
  loom_generator_set_parallel_batches (f->generator, TRUE);

  prompt = loom_prompt_new_for_scene (scene_at (f, 1), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loom_prompt_get_previous_unwritten (prompt));

  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter, FALSE, &error),
                    ==, 5);
  wait_running (f, 2);
  wait_idle (f);
  g_assert_cmpuint (loom_mock_server_get_max_in_flight (f->server), ==, 2);
  /* Parallel requests reach the server in any order. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *prompt = request_prompt (f, i);

      if (strstr (prompt, "Write scene 2 of chapter 1") != NULL)
        g_assert_nonnull (strstr (prompt, "The previous scene is not written yet. Its outline:\n"
                                          "Mara does thing 1"));
    }
}

static void
on_retrying (LoomGenerator *generator,
             LoomScene     *scene,
             guint          delay_ms,
             const GError  *reason,
             GString       *log)
{
  g_string_append_printf (log, "%u:%u:%s ", loom_scene_get_number (scene), delay_ms,
                          reason->domain == LOOM_AI_ERROR &&
                          reason->code == LOOM_AI_ERROR_RATE_LIMITED ? "rate-limited" : "other");
}

static void
test_rate_limit_says_retrying (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  LoomMockResponse *limited = loom_mock_response_new ();

  limited->status = 429;
  limited->retry_after = 1;
  limited->error_message = g_strdup ("Rate limit exceeded");
  loom_mock_server_push (f->server, limited);
  loom_mock_server_push (f->server, respond ((const char *const[]) { "After ", "waiting.", NULL },
                                             0));
  g_signal_connect (f->generator, "scene-retrying", G_CALLBACK (on_retrying), log);

  g_assert_true (loom_generator_generate_scene (f->generator, scene_at (f, 0), &error));
  wait_idle (f);
  g_assert_cmpstr (log->str, ==, "1:1000:rate-limited ");
  g_assert_cmpstr (loom_scene_get_prose (scene_at (f, 0)), ==, "After waiting.");
  g_signal_handlers_disconnect_by_data (f->generator, log);
}

static void
test_no_key_fails_before_request (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  LoomAiClient *client = loom_generator_get_client (f->generator);

  /* A local server needs no key; OpenRouter does. */
  loom_ai_client_set_api_key (client, NULL);
  loom_ai_client_set_base_url (client, "https://openrouter.invalid/api/v1");
  g_assert_false (loom_generator_generate_scene (f->generator, scene_at (f, 0), &error));
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_clear_error (&error);
  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter, TRUE, &error), ==, 0);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_assert_false (loom_generator_get_busy (f->generator));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_assert_cmpint (loom_scene_get_status (scene_at (f, 0)), ==, LOOM_SCENE_STATUS_DRAFT);
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

/* Answers in pieces of 7 bytes, prose around the fence, as models do. */
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

static LoomStory *
empty_story (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = loom_store_create_story (f->store, "Glass Harbour", "A lighthouse keeper "
                                              "finds a letter.", NULL, &error);
  g_assert_no_error (error);
  return story;
}

static void
test_outline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  LoomStory *story = empty_story (f);
  GListModel *chapters;

  loom_mock_server_push (f->server, answer (
    "Here is a plan for your story.\n\n```toon\nchapters[2]{title}:\n  The Letter\n"
    "  \"Storm, Again\"\nscenes[3]{chapter,outline}:\n  1,Nell finds the letter.\n"
    "  2,\"The storm comes, and she reads it.\"\n  1,She hides it.\n```\nEnjoy!"));
  loom_generator_outline_story_async (f->generator, story, NULL, on_async_done, &result);
  g_assert_cmpint (loom_generator_outline_story_finish (f->generator, wait_result (&result),
                                                        &error), ==, 2);
  g_assert_no_error (error);

  chapters = loom_story_get_chapters (story);
  g_assert_cmpuint (g_list_model_get_n_items (chapters), ==, 2);
  {
    g_autoptr(LoomChapter) one = g_list_model_get_item (chapters, 0);
    g_autoptr(LoomChapter) two = g_list_model_get_item (chapters, 1);
    g_autoptr(LoomScene) last = g_list_model_get_item (loom_chapter_get_scenes (one), 1);

    g_assert_cmpstr (loom_chapter_get_title (two), ==, "Storm, Again");
    g_assert_cmpuint (g_list_model_get_n_items (loom_chapter_get_scenes (one)), ==, 2);
    g_assert_cmpstr (loom_scene_get_outline (last), ==, "She hides it.");
    g_assert_cmpuint (loom_scene_get_number (last), ==, 2);
  }
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 3);
  {
    g_autofree char *kind = test_sql_value (f->path, "SELECT kind || '|' || outcome FROM"
                                                     " generations ORDER BY id DESC LIMIT 1");
    g_assert_cmpstr (kind, ==, "outline|complete");
  }

  /* Outlining again adds chapters after the existing ones, which the model was shown. */
  g_clear_object (&result);
  loom_mock_server_push (f->server, answer (
    "```toon\nchapters[1]{title}:\n  Afterwards\nscenes[1]{chapter,outline}:\n"
    "  1,Nell leaves the lighthouse.\n```"));
  loom_generator_outline_story_async (f->generator, story, NULL, on_async_done, &result);
  g_assert_cmpint (loom_generator_outline_story_finish (f->generator, wait_result (&result),
                                                        &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (chapters), ==, 3);
  {
    g_autoptr(LoomChapter) third = g_list_model_get_item (chapters, 2);
    GPtrArray *requests = loom_mock_server_get_requests (f->server);
    LoomMockRequest *request = g_ptr_array_index (requests, requests->len - 1);

    g_assert_cmpstr (loom_chapter_get_title (third), ==, "Afterwards");
    g_assert_cmpuint (loom_chapter_get_number (third), ==, 3);
    g_assert_nonnull (strstr (request->body, "Storm, Again"));
  }
}

/* An outline of 20,000 scenes, about 600 KB of TOON in one event. */
static LoomMockResponse *
huge_outline (void)
{
  LoomMockResponse *r = loom_mock_response_new ();
  GString *text = g_string_new ("```toon\nchapters[2]{title}:\n  Before\n  After\n"
                                "scenes[20000]{chapter,outline}:\n");

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "  %u,\"Scene %u: Nell climbs the stair, again.\"\n",
                            i % 2 + 1, i + 1);
  g_string_append (text, "```\n");
  r->deltas = g_new0 (char *, 2);
  r->deltas[0] = g_string_free (text, FALSE);
  r->usage = TRUE;
  return r;
}

/* A long structured answer is decoded off the main thread (issue 11); all of it still arrives
 * and is added, in order. */
static void
test_outline_huge (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  LoomStory *story = empty_story (f);
  GListModel *chapters;

  loom_mock_server_push (f->server, huge_outline ());
  loom_generator_outline_story_async (f->generator, story, NULL, on_async_done, &result);
  g_assert_cmpint (loom_generator_outline_story_finish (f->generator, wait_result (&result),
                                                        &error), ==, 2);
  g_assert_no_error (error);

  chapters = loom_story_get_chapters (story);
  g_assert_cmpuint (g_list_model_get_n_items (chapters), ==, 2);
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 20000);
  {
    g_autoptr(LoomChapter) after = g_list_model_get_item (chapters, 1);
    GListModel *scenes = loom_chapter_get_scenes (after);
    g_autoptr(LoomScene) last = g_list_model_get_item (scenes, 9999);

    g_assert_cmpuint (g_list_model_get_n_items (scenes), ==, 10000);
    g_assert_cmpstr (loom_scene_get_outline (last), ==,
                     "Scene 20000: Nell climbs the stair, again.");
  }
  {
    g_autofree char *kind = test_sql_value (f->path, "SELECT kind || '|' || outcome FROM"
                                                     " generations ORDER BY id DESC LIMIT 1");
    g_assert_cmpstr (kind, ==, "outline|complete");
  }
}

static void
cancel_on_finished (LoomMockServer *server,
                    GCancellable   *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Stopped as the long answer ends (while it is read, or decoded): nothing is added. */
static void
test_outline_huge_cancelled (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LoomStory *story = empty_story (f);
  gulong handler;

  loom_mock_server_push (f->server, huge_outline ());
  handler = g_signal_connect (f->server, "request-finished", G_CALLBACK (cancel_on_finished),
                              cancellable);
  loom_generator_outline_story_async (f->generator, story, cancellable, on_async_done, &result);
  g_assert_cmpint (loom_generator_outline_story_finish (f->generator, wait_result (&result),
                                                        &error), ==, -1);
  g_signal_handler_disconnect (f->server, handler);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_chapters (story)), ==, 0);
  {
    g_autofree char *kind = test_sql_value (f->path, "SELECT kind || '|' || outcome FROM"
                                                     " generations ORDER BY id DESC LIMIT 1");
    g_assert_cmpstr (kind, ==, "outline|cancelled");
  }
}

static void
test_chat_options (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *requests;
  LoomMockRequest *request;

  g_object_set (f->generator, "temperature", 0.25, "max-tokens", 900, NULL);
  g_assert_true (loom_generator_generate_scene (f->generator, scene_at (f, 0), &error));
  wait_idle (f);
  requests = loom_mock_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 1);
  g_assert_nonnull (strstr (request->body, "\"temperature\":0.25"));
  g_assert_nonnull (strstr (request->body, "\"max_tokens\":900"));
}

static void
test_outline_invalid_adds_nothing (Fixture       *f,
                                   gconstpointer  data)
{
  static const char *const bad[] = {
    /* declares 3 rows, has 2 */
    "```toon\nchapters[1]{title}:\n  One\nscenes[3]{chapter,outline}:\n  1,a\n  1,b\n```",
    /* a scene in a chapter that does not exist */
    "```toon\nchapters[1]{title}:\n  One\nscenes[1]{chapter,outline}:\n  4,lost\n```",
    /* no scenes table */
    "```toon\nchapters[1]{title}:\n  One\n```",
    /* not TOON at all */
    "I'm sorry, I can't help with that.",
  };
  LoomStory *story = empty_story (f);
  g_autofree char *before = test_dump_library (f->path);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      loom_mock_server_push (f->server, answer (bad[i]));
      loom_generator_outline_story_async (f->generator, story, NULL, on_async_done, &result);
      g_assert_cmpint (loom_generator_outline_story_finish (f->generator, wait_result (&result),
                                                            &error), ==, -1);
      g_test_message ("answer %u: %s", i, error->message);
      g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "Nothing was added"));
      /* Words, not the decoder's line and column or its terms. */
      g_assert_false (g_regex_match_simple ("\\bline [0-9]|column|table|\\[|row", error->message,
                                            0, 0));
    }
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_chapters (story)), ==, 0);

  /* A stream cut short is an error too, before any TOON is read. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    LoomMockResponse *r = loom_mock_response_new ();

    r->n_deltas = 10;
    r->truncate_after = 4;
    loom_mock_server_push (f->server, r);
    loom_generator_outline_story_async (f->generator, story, NULL, on_async_done, &result);
    loom_generator_outline_story_finish (f->generator, wait_result (&result), &error);
    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED);
  }

  {
    g_autofree char *after = test_dump_library (f->path);
    g_autofree char *story_rows_before = g_strndup (before, strstr (before, "[generations]") - before);
    g_autofree char *story_rows_after = g_strndup (after, strstr (after, "[generations]") - after);

    /* Only the request log grew. */
    g_assert_cmpstr (story_rows_before, ==, story_rows_after);
  }
}

static void
test_suggest_characters (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad = NULL;
  GListModel *characters = loom_story_get_characters (f->story);

  loom_mock_server_push (f->server, answer (
    "```toon\ncharacters[3]{name,traits,backstory}:\n  Ivo,\"quiet, loyal\",null\n"
    "  mara voss,stubborn,dup\n  Tess,sly,Smuggler's daughter.\n```"));
  loom_generator_suggest_characters_async (f->generator, f->story, NULL, on_async_done, &result);
  g_assert_cmpint (loom_generator_suggest_characters_finish (f->generator, wait_result (&result),
                                                             &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (characters), ==, 3);
  {
    g_autoptr(LoomCharacter) ivo = g_list_model_get_item (characters, 1);
    g_assert_cmpstr (loom_character_get_name (ivo), ==, "Ivo");
    g_assert_cmpstr (loom_character_get_traits (ivo), ==, "quiet, loyal");
    g_assert_null (loom_character_get_backstory (ivo));
  }

  loom_mock_server_push (f->server, answer ("```toon\ncharacters[2]{name,traits}:\n  A,b\n```"));
  loom_generator_suggest_characters_async (f->generator, f->story, NULL, on_async_done, &bad);
  g_assert_cmpint (loom_generator_suggest_characters_finish (f->generator, wait_result (&bad),
                                                             &error), ==, -1);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (g_list_model_get_n_items (characters), ==, 3);
}

/* Issue 11: a lone surrogate escape in a delta ends the scene in the error state, with the
 * prose that came before it kept once, as a partial revision. */
static void
test_bad_escape_keeps_partial_once (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) partial = NULL;
  LoomMockResponse *r = loom_mock_response_new ();
  LoomScene *scene = scene_at (f, 0);

  r->raw_body = g_strdup (
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The caravan left at dawn. \"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud800\"}}]}\n\n"
    "data: [DONE]\n\n");
  loom_mock_server_push (f->server, r);

  g_assert_true (loom_generator_generate_scene (f->generator, scene, &error));
  wait_idle (f);

  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_ERROR);
  g_assert_nonnull (strstr (loom_scene_get_error_message (scene), "could not be read"));
  revisions = loom_store_list_revisions (f->store, scene, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
  partial = g_list_model_get_item (revisions, 0);
  g_assert_cmpint (loom_revision_get_origin (partial), ==, LOOM_REVISION_PARTIAL);
  g_assert_cmpstr (loom_revision_get_prose (partial), ==, "The caravan left at dawn. ");
  {
    g_autofree char *log = finished_log (f);
    g_assert_cmpstr (log, ==, "1:error");
  }
}

/* Batches never replace the writer's own words unless told to, and say which they skipped
 * (issue 13). */
static void
test_batch_skips_writers_words (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) writers = NULL;
  guint queued;

  /* 1 generated and left alone, 2 typed by the writer, 3 generated then edited, 2 and 3 with
   * a failed generation after; 4 and 5 empty. */
  g_assert_cmpuint (loom_generator_generate_chapter (f->generator, f->chapter,
                                                     LOOM_GENERATE_MISSING, &error), ==, 5);
  wait_idle (f);
  g_assert_true (loom_scene_set_prose (scene_at (f, 1), "Typed by hand.", &error));
  g_assert_true (loom_scene_set_prose (scene_at (f, 2), "Edited by hand.", &error));
  g_assert_true (loom_scene_set_prose (scene_at (f, 3), NULL, &error));
  g_assert_true (loom_scene_set_prose (scene_at (f, 4), NULL, &error));
  for (guint i = 0; i < 3; i++)
    g_assert_true (loom_scene_set_status (scene_at (f, i), LOOM_SCENE_STATUS_ERROR, "x", &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (f->finished, 0);
  g_string_truncate (f->started, 0);

  writers = loom_generator_list_writers_scenes (f->generator, f->story, NULL,
                                                LOOM_GENERATE_MISSING);
  g_assert_cmpuint (writers->len, ==, 2);
  g_assert_true (g_ptr_array_index (writers, 0) == scene_at (f, 1));
  g_assert_true (g_ptr_array_index (writers, 1) == scene_at (f, 2));
  g_clear_pointer (&writers, g_ptr_array_unref);

  queued = loom_generator_generate_story (f->generator, f->story, LOOM_GENERATE_MISSING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued, ==, 3);
  wait_idle (f);
  g_assert_cmpstr (f->started->str, ==, "1 4 5 ");
  g_assert_cmpstr (test_scene_prose (scene_at (f, 1)), ==, "Typed by hand.");
  g_assert_cmpstr (test_scene_prose (scene_at (f, 2)), ==, "Edited by hand.");

  /* --regenerate alone still leaves them; with the writer's say-so they go too. */
  g_string_truncate (f->started, 0);
  writers = loom_generator_list_writers_scenes (f->generator, f->story, f->chapter,
                                                LOOM_GENERATE_REGENERATE);
  g_assert_cmpuint (writers->len, ==, 2);
  queued = loom_generator_generate_chapter (f->generator, f->chapter, LOOM_GENERATE_REGENERATE,
                                            &error);
  g_assert_cmpuint (queued, ==, 3);
  wait_idle (f);
  g_assert_cmpstr (f->started->str, ==, "1 4 5 ");
  g_string_truncate (f->started, 0);
  queued = loom_generator_generate_chapter (f->generator, f->chapter,
                                            LOOM_GENERATE_MISSING | LOOM_GENERATE_OVER_WRITERS,
                                            &error);
  g_assert_cmpuint (queued, ==, 2);
  wait_idle (f);
  g_assert_cmpstr (f->started->str, ==, "2 3 ");
  g_assert_cmpstr (test_scene_prose (scene_at (f, 1)), !=, "Typed by hand.");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, scene_at (f, 1)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("OPENROUTER_API_KEY");
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/generator/scene", test_generate_scene);
  ADD ("/generator/staleness", test_staleness);
  ADD ("/generator/error-mid-stream-keeps-prose", test_error_mid_stream_keeps_prose);
  ADD ("/generator/cancel-mid-stream", test_cancel_mid_stream);
  ADD ("/generator/concurrency-and-queue", test_concurrency_and_queue);
  ADD ("/generator/batch-in-story-order", test_batch_in_story_order);
  ADD ("/generator/batch-in-parallel", test_batch_in_parallel);
  ADD ("/generator/batch-skips-writers-words", test_batch_skips_writers_words);
  ADD ("/generator/rate-limit-says-retrying", test_rate_limit_says_retrying);
  ADD ("/generator/no-key-fails-before-request", test_no_key_fails_before_request);
  ADD ("/generator/outline", test_outline);
  ADD ("/generator/outline-huge", test_outline_huge);
  ADD ("/generator/outline-huge-cancelled", test_outline_huge_cancelled);
  ADD ("/generator/chat-options", test_chat_options);
  ADD ("/generator/outline-invalid-adds-nothing", test_outline_invalid_adds_nothing);
  ADD ("/generator/suggest-characters", test_suggest_characters);
  ADD ("/generator/bad-escape-keeps-partial-once", test_bad_escape_keeps_partial_once);
  g_test_add ("/generator/deleted-while-drafted/seen", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_deleted_while_drafted, fixture_teardown);
  g_test_add ("/generator/deleted-while-drafted/unseen", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_deleted_while_drafted, fixture_teardown);
#undef ADD
  return g_test_run ();
}
