/* test-generation-trust.c: generation never takes the writer's words by a slip (issue 13)
 *
 * A real window against the mock server, with real keys and clicks through the X server:
 * generating over the writer's own words asks first, Cancel being what Enter and Escape do;
 * Generate Chapter skips such scenes unless told; Ctrl+Z outside the text view undoes a
 * generation's replacement of prose and a restore from History; after Stop the generation line
 * offers to keep the words written so far.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-trust"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-generation-bar.h"
#include "loom-generation-controller.h"
#include "loom-generator.h"
#include "loom-mock-server.h"
#include "loom-revision.h"
#include "loom-revisions-dialog.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-words.h"
#include "loom-window-private.h"
#include "test-util.h"
#include "test-generation-util.h"
#include "test-ui-util.h"

#define WRITERS_WORDS "Mara counted the camels twice and trusted neither count."

typedef TestGenerationWindow Fixture;

/* Ready, and the window has put the keyboard where it goes. */
static gboolean
ready (gpointer data)
{
  Fixture *f = data;

  return test_generation_window_ready (f) && f->window->focus_source == 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  test_generation_window_open (f, "storyloom-gen-trust-XXXXXX", 12, 2, ready);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_generation_window_close (f);
}

/* ------------------------------------------------------------------------------------------ */

static gboolean
view_focused (gpointer data)
{
  Fixture *f = data;
  GtkWidget *view = GTK_WIDGET (loom_scene_editor_get_prose_view (f->window->editor));

  return gtk_root_get_focus (GTK_ROOT (f->window)) == view;
}

/* Opens @scene and puts the keyboard in its prose, as clicking into it does. */
static void
focus_prose (Fixture   *f,
             LoomScene *scene)
{
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));
  gtk_widget_grab_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (f->window->editor)));
  test_spin_until (view_focused, f, "the keyboard in the prose");
}

static gboolean
sidebar_focused (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (f->window->sidebar));
}

/* Puts the keyboard on @scene's row in the sidebar, outside every text view. */
static void
focus_row (Fixture   *f,
           LoomScene *scene)
{
  LoomSidebarRow *row;

  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));
  row = loom_sidebar_find_row (f->window->sidebar, G_OBJECT (scene));
  g_assert_nonnull (row);
  gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
  test_spin_until (sidebar_focused, f, "the keyboard in the sidebar");
}

/* Ctrl+Z with the keyboard on @scene's row, outside every text view, brings back @before;
 * Ctrl+Shift+Z then @after. */
static void
undo_and_redo (Fixture    *f,
               LoomScene  *scene,
               const char *before,
               const char *after)
{
  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  test_wait_for_prose (scene, before, "the prose");
  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+z");
  test_wait_for_prose (scene, after, "the prose");
}

static gboolean
scene_complete (gpointer data)
{
  return loom_scene_get_status (data) == LOOM_SCENE_STATUS_COMPLETE;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_generate_asks (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) kept = NULL;
  g_autofree char *generated = NULL;
  LoomScene *scene = f->scenes[0];
  AdwMessageDialog *question;

  /* The writer's words, and a failed generation after them: Ctrl+Return would retry it. */
  g_assert_true (loom_scene_set_prose (scene, WRITERS_WORDS, &error));
  g_assert_true (loom_scene_set_status (scene, LOOM_SCENE_STATUS_ERROR, "The server was busy.",
                                        &error));
  g_assert_no_error (error);
  focus_prose (f, scene);

  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+Return"))
    return;
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Replace Your Words?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "has 9 words you wrote"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "History"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");

  /* Escape, then Enter: neither spends anything nor changes a word. */
  test_ui_press (GTK_WINDOW (question), "Escape");
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  focus_prose (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+Return");
  question = test_generation_wait_question ();
  test_ui_press (GTK_WINDOW (question), "Return");
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_assert_cmpstr (test_scene_prose (scene), ==, WRITERS_WORDS);
  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_ERROR);

  /* Replace and Generate, clicked: generated, and the words are in History as the writer's. */
  focus_prose (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+Return");
  question = test_generation_wait_question ();
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Replace and Generate"));
  test_spin_until (scene_complete, scene, "the generation");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  generated = g_strdup (test_scene_prose (scene));
  g_assert_cmpstr (generated, !=, WRITERS_WORDS);
  revisions = loom_store_list_revisions (f->store, scene, &error);
  kept = g_list_model_get_item (revisions, 0);
  g_assert_cmpstr (loom_revision_get_prose (kept), ==, WRITERS_WORDS);
  g_assert_cmpint (loom_revision_get_author (kept), ==, LOOM_PROSE_WRITER);

  /* A generation left untouched is not the writer's: regenerating it, from the Generate menu,
   * asks nothing. */
  test_ui_click_menu_item (f->window->generate_button, "Regenerate Scene");
  test_generation_settle ();
  g_assert_true (test_generation_no_question (NULL));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  test_spin_until (scene_complete, scene, "the second generation");
  g_free (generated);
  generated = g_strdup (test_scene_prose (scene));

  /* Ctrl+Z outside the text view undoes each replacement, newest first; Ctrl+Shift+Z redoes. */
  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  test_wait_for_prose (scene, WRITERS_WORDS, "the prose");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, scene), ==, 9);
  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+z");
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+z");
  test_wait_for_prose (scene, generated, "the prose");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, scene), ==, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
}

static void
test_chapter_skips_writers_scenes (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  const char *body;

  g_assert_true (loom_scene_set_prose (f->scenes[0], WRITERS_WORDS, &error));
  g_assert_true (loom_scene_set_status (f->scenes[0], LOOM_SCENE_STATUS_ERROR, "Busy.", &error));
  g_assert_no_error (error);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->chapter));

  if (!test_ui_click_menu_item (f->window->generate_button, "Generate Chapter"))
    return;
  question = test_generation_wait_question ();
  body = adw_message_dialog_get_body (question);
  g_assert_nonnull (strstr (body, "Chapter 1, scene 1: 9 words"));
  g_assert_null (strstr (body, "scene 2"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");

  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Generate 1 Other Scene"));
  test_spin_until (scene_complete, f->scenes[1], "the other scene");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpstr (test_scene_prose (f->scenes[0]), ==, WRITERS_WORDS);

  /* Included on purpose, it is drafted too. */
  test_ui_click_menu_item (f->window->generate_button, "Generate Chapter");
  question = test_generation_wait_question ();
  g_assert_null (test_ui_find_button (GTK_WIDGET (question), "_Generate 1 Other Scene"));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Include and Replace"));
  test_spin_until (scene_complete, f->scenes[0], "the writer's scene");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpstr (test_scene_prose (f->scenes[0]), !=, WRITERS_WORDS);
}

static gboolean
revisions_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_REVISIONS_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
         gtk_widget_get_width (GTK_WIDGET (dialog)) > 0;
}

static gboolean
revisions_closed (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_REVISIONS_DIALOG) == NULL;
}

static void
test_restore_is_undoable (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = f->scenes[0];
  LoomRevisionsDialog *dialog;

  g_assert_true (loom_scene_set_prose (scene, "An older dawn.", &error));
  g_assert_true (loom_scene_set_prose (scene, WRITERS_WORDS, &error));
  g_assert_true (loom_store_add_revision (f->store, scene, "An older dawn.",
                                          LOOM_REVISION_GENERATION, NULL, &error));
  g_assert_no_error (error);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));

  dialog = LOOM_REVISIONS_DIALOG (loom_generation_controller_show_revisions (f->window->generation));
  test_spin_until (revisions_shown, NULL, "the history");
  if (!test_ui_click (test_ui_find_button (GTK_WIDGET (dialog), "_Restore")))
    return;
  test_wait_for_prose (scene, "An older dawn.", "the prose");
  test_ui_press (GTK_WINDOW (dialog), "Escape");
  test_spin_until (revisions_closed, NULL, "the history to close");

  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  test_wait_for_prose (scene, WRITERS_WORDS, "the prose");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, scene), ==, 9);
  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+z");
  test_wait_for_prose (scene, "An older dawn.", "the prose");
}

static gboolean
first_has_words (gpointer data)
{
  Fixture *f = data;

  const char *prose = loom_scene_get_prose (f->scenes[0]);

  /* the streamed text itself: the word count follows only when the prose is stored */
  return loom_scene_get_status (f->scenes[0]) == LOOM_SCENE_STATUS_GENERATING &&
         prose != NULL && strlen (prose) > 100;
}

static gboolean
first_stopped (gpointer data)
{
  Fixture *f = data;

  return loom_scene_get_status (f->scenes[0]) != LOOM_SCENE_STATUS_GENERATING &&
         !loom_generator_get_busy (loom_generation_controller_get_generator (f->window->generation));
}

/* Starts a slow generation of the first scene from the editor and stops it with Escape there,
 * as a writer does; returns the stopped text, which History keeps. */
static char *
generate_and_stop (Fixture *f)
{
  g_autoptr(LoomMockResponse) slow = loom_mock_response_new ();
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) partial = NULL;
  g_autoptr(GError) error = NULL;

  slow->n_deltas = 400;
  slow->delay_ms = 20;
  loom_mock_server_push (f->server, g_steal_pointer (&slow));
  focus_prose (f, f->scenes[0]);
  if (loom_scene_get_word_count (f->scenes[0]) > 0)
    {
      test_ui_click_menu_item (f->window->generate_button, "Regenerate Scene");
      focus_prose (f, f->scenes[0]);
    }
  else
    test_ui_press (GTK_WINDOW (f->window), "ctrl+Return");
  test_spin_until (first_has_words, f, "the prose to start");
  test_ui_press (GTK_WINDOW (f->window), "Escape");
  test_spin_until (first_stopped, f, "the generation to stop");

  revisions = loom_store_list_revisions (f->store, f->scenes[0], &error);
  partial = g_list_model_get_item (revisions, 0);
  g_assert_cmpint (loom_revision_get_origin (partial), ==, LOOM_REVISION_PARTIAL);
  return g_strdup (loom_revision_get_prose (partial));
}

static gboolean
no_keep_offer (gpointer data)
{
  Fixture *f = data;

  return loom_generation_controller_get_stopped_words (f->window->generation, f->scenes[0]) == 0 &&
         test_ui_find_button (GTK_WIDGET (f->window->generation_bar), "_Discard") == NULL;
}

static GtkWidget *
keep_button (Fixture    *f,
             const char *partial)
{
  guint words = loom_count_words (partial, -1);
  g_autofree char *label = g_strdup_printf ("_Keep the %u words written so far", words);

  return test_ui_find_button (GTK_WIDGET (f->window->generation_bar), label);
}

static void
test_stop_offers_words (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *partial = NULL;
  g_autofree char *second = NULL;
  GtkWidget *keep;

  /* Stopped, the scene holds what it held before (nothing); the line offers the words. */
  partial = generate_and_stop (f);
  g_assert_cmpstr (test_scene_prose (f->scenes[0]), ==, NULL);
  keep = keep_button (f, partial);
  g_assert_nonnull (keep);
  g_assert_nonnull (test_ui_find_button (GTK_WIDGET (f->window->generation_bar), "_Discard"));

  /* Keep, clicked: the words are the prose, and no request was made for them. */
  test_generation_settle ();
  if (!test_ui_click (keep_button (f, partial)))
    return;
  test_wait_for_prose (f->scenes[0], partial, "the prose");
  g_assert_null (keep_button (f, partial));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scenes[0]), ==, 0);

  /* Ctrl+Z outside the text view puts back the earlier (empty) prose; Ctrl+Shift+Z the words. */
  undo_and_redo (f, f->scenes[0], NULL, partial);

  /* Stopped again, Discard: the kept words stay the prose, the new ones stay in History. */
  second = generate_and_stop (f);
  g_assert_cmpstr (test_scene_prose (f->scenes[0]), ==, partial);
  test_generation_settle ();
  test_ui_click (test_ui_find_button (GTK_WIDGET (f->window->generation_bar), "_Discard"));
  test_spin_until (no_keep_offer, f, "the offer to close");
  g_assert_cmpstr (test_scene_prose (f->scenes[0]), ==, partial);
  g_assert_nonnull (second);  /* generate_and_stop () found it in History */
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
}


/* Closes the window and the library and opens both again, as quitting and starting does. */
static void
restart (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (loom_store_get_path (f->store));
  gint64 story = loom_story_get_id (f->story);
  gint64 chapter = loom_chapter_get_id (f->chapter);
  gint64 scenes[G_N_ELEMENTS (f->scenes)];

  for (guint i = 0; i < G_N_ELEMENTS (f->scenes); i++)
    scenes[i] = loom_scene_get_id (f->scenes[i]);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  loom_store_close (f->store);
  g_clear_object (&f->store);

  f->store = loom_store_open (path, &error);
  g_assert_no_error (error);
  f->story = loom_store_lookup_story (f->store, story);
  f->chapter = loom_store_lookup_chapter (f->store, chapter);
  for (guint i = 0; i < G_N_ELEMENTS (f->scenes); i++)
    f->scenes[i] = loom_store_lookup_scene (f->store, scenes[i]);
  f->window = g_object_ref_sink (loom_window_new (NULL, f->store));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  test_spin_until (ready, f, "the window after the restart");
}

static gboolean
first_failed (gpointer data)
{
  Fixture *f = data;

  return loom_scene_get_status (f->scenes[0]) == LOOM_SCENE_STATUS_ERROR &&
         !loom_generator_get_busy (loom_generation_controller_get_generator (f->window->generation));
}

static gboolean
keep_offered (gpointer data)
{
  Fixture *f = data;

  return test_ui_find_button (GTK_WIDGET (f->window->generation_bar),
                              "_Keep the 8 words written so far") != NULL;
}

/* A request that fails mid-stream was paid for as much as one stopped: the generation line
 * offers its words, for that scene only, and still after a restart; Keep makes exactly the
 * streamed words the prose, in one step that Ctrl+Z takes back. */
static void
test_failure_offers_words (Fixture       *f,
                           gconstpointer  data)
{
  static const char *const deltas[] = {
    "Salt", " crusted", " the", " wheels", " and", " Mara", " walked", " on.", " Then", NULL
  };
  static const char streamed[] = "Salt crusted the wheels and Mara walked on.";
  g_autoptr(LoomMockResponse) failing = loom_mock_response_new ();
  g_autoptr(GError) error = NULL;

  failing->deltas = g_strdupv ((char **) deltas);
  failing->error_after = 8;
  failing->error_message = g_strdup ("The provider went away");
  loom_mock_server_push (f->server, g_steal_pointer (&failing));

  focus_prose (f, f->scenes[0]);
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+Return"))
    return;
  test_spin_until (first_failed, f, "the generation to fail");
  g_assert_null (test_scene_prose (f->scenes[0]));
  test_spin_until (keep_offered, f, "the offer of the 8 words");
  g_assert_nonnull (test_ui_find_button (GTK_WIDGET (f->window->generation_bar), "_Discard"));

  /* the offer is the scene's: another scene shows none, and coming back shows it again */
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[1]));
  test_spin_until (no_keep_offer, f, "no offer on the other scene");
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (keep_offered, f, "the offer back with its scene");

  /* a restart later, the library still offers them */
  restart (f);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (keep_offered, f, "the offer after the restart");
  test_generation_settle ();
  test_ui_click (test_ui_find_button (GTK_WIDGET (f->window->generation_bar),
                                      "_Keep the 8 words written so far"));
  test_wait_for_prose (f->scenes[0], streamed, "the prose");
  test_spin_until (no_keep_offer, f, "the offer to close");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scenes[0]), ==, 0);

  /* one step: Ctrl+Z empties the scene again, Ctrl+Shift+Z brings the words back */
  undo_and_redo (f, f->scenes[0], NULL, streamed);

  /* answered, the offer does not come back with the next start */
  restart (f);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_generation_settle ();
  g_assert_true (no_keep_offer (f));
  g_assert_no_error (error);
}

typedef struct
{
  LoomScene       *scene;
  LoomSceneStatus  status;
} StatusIs;

static gboolean
status_is (gpointer data)
{
  StatusIs *is = data;

  return loom_scene_get_status (is->scene) == is->status;
}

/* A first generation into an empty scene is a step of its own: Ctrl+Z (outside the text view)
 * empties the prose and makes the scene a draft again; Ctrl+Shift+Z brings the draft back. */
static void
test_undo_first_generation (Fixture       *f,
                            gconstpointer  data)
{
  LoomScene *scene = f->scenes[1];
  g_autofree char *generated = NULL;
  StatusIs draft = { scene, LOOM_SCENE_STATUS_DRAFT };
  StatusIs complete = { scene, LOOM_SCENE_STATUS_COMPLETE };

  focus_prose (f, scene);
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+Return"))
    return;
  test_spin_until (scene_complete, scene, "the first generation");
  generated = g_strdup (test_scene_prose (scene));
  g_assert_nonnull (generated);

  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  test_wait_for_prose (scene, NULL, "the prose");
  test_spin_until (status_is, &draft, "the scene to be a draft again");
  g_assert_cmpuint (loom_scene_get_word_count (scene), ==, 0);

  focus_row (f, scene);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+z");
  test_wait_for_prose (scene, generated, "the prose");
  test_spin_until (status_is, &complete, "the scene to be complete again");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  /* what the generation wrote is never lost: undone, it waited in History */
  g_assert_cmpuint (loom_store_get_writers_words (f->store, scene), ==, 0);
}

static void
on_cli_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Runs storyloom-cli on the window's library, as another program, the main loop running. */
static void
run_cli (Fixture     *f,
         const char  *command,
         const char  *argument,
         const char  *value)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("STORYLOOM_CLI"),
                              "--db", loom_store_get_path (f->store), command, argument, value,
                              NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, on_cli_done, &done);
  test_spin_until (flag_set, &done, "storyloom-cli");
  g_assert_true (g_subprocess_get_successful (process));
}

/* Another program answering the offer (here storyloom-cli restoring the stopped words) takes
 * it away in the window, without the writer selecting anything. */
static void
test_offer_follows_other_programs (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) partial = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *id = NULL;

  stopped = generate_and_stop (f);
  g_assert_nonnull (keep_button (f, stopped));
  revisions = loom_store_list_revisions (f->store, f->scenes[0], &error);
  g_assert_no_error (error);
  partial = g_list_model_get_item (revisions, 0);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_revision_get_id (partial));

  run_cli (f, "revision", "restore", id);
  test_spin_until (no_keep_offer, f, "the offer to go after another program's restore");
  test_wait_for_prose (f->scenes[0], stopped, "the prose");
  g_assert_true (loom_window_get_selected_item (f->window) == G_OBJECT (f->scenes[0]));
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/generation-trust"))
    return g_test_run ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/generation-trust/generate-asks", test_generate_asks);
  ADD ("/generation-trust/chapter-skips-writers-scenes", test_chapter_skips_writers_scenes);
  ADD ("/generation-trust/restore-is-undoable", test_restore_is_undoable);
  ADD ("/generation-trust/stop-offers-words", test_stop_offers_words);
  ADD ("/generation-trust/failure-offers-words", test_failure_offers_words);
  ADD ("/generation-trust/undo-first-generation", test_undo_first_generation);
  ADD ("/generation-trust/offer-follows-other-programs", test_offer_follows_other_programs);
#undef ADD

  return g_test_run ();
}
