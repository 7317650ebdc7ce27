/* test-generation-dialogs.c: Show Prompt, the revision history, the set-up dialog and the AI
 * preferences page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-dialogs"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-api-key.h"
#include "loom-chapter.h"
#include "loom-generation-controller.h"
#include "loom-generation-preferences.h"
#include "loom-mock-server.h"
#include "loom-prompt-dialog.h"
#include "loom-store-summaries.h"
#include "loom-revision.h"
#include "loom-revisions-dialog.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"
#include "test-ui-util.h"

#define TEST_KEY "sk-or-test-dialogs"

typedef struct
{
  char                     *dir;
  LoomStore                *store;
  LoomStory                *story;
  LoomChapter              *chapter;
  LoomScene                *scenes[3];
  LoomMockServer           *server;
  GSettings                *settings;
  LoomGenerationController *controller;
  GtkWindow                *window;
  guint                     preferences_asked;
} Fixture;

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
key_ready (gpointer data)
{
  Fixture *f = data;
  return loom_generation_controller_get_key_ready (f->controller);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  static const char *const outlines[] = {
    "Mara leaves the salt town at dawn with Oren.",
    "The caravan loses a camel to the crust.",
    "Night: the stars over the dead sea.",
  };

  f->store = test_library_open ("storyloom-gen-dialogs-XXXXXX", &f->dir, &path);
  f->story = loom_store_create_story (f->store, "The Salt Road", "A caravan crosses a dead sea.",
                                      "Spare, present tense.", &error);
  g_assert_no_error (error);
  f->chapter = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Departure",
                                       &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (f->scenes); i++)
    {
      f->scenes[i] = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, outlines[i],
                                           &error);
      g_assert_no_error (error);
    }
  loom_store_add_character (f->store, f->story, "Mara Voss", "stubborn, quiet", "salt-born",
                            &error);
  g_assert_no_error (error);
  loom_store_add_character (f->store, f->story, "Oren", "the guide", NULL, &error);
  g_assert_no_error (error);

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APP_ID);
  g_settings_set_string (f->settings, "api-base", loom_mock_server_get_base_url (f->server));
  g_settings_set_string (f->settings, "model", "mock/novelist");

  f->controller = loom_generation_controller_new (f->store);
  f->window = GTK_WINDOW (g_object_ref_sink (adw_application_window_new (NULL)));
  gtk_window_set_default_size (f->window, 900, 640);
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "gen",
                                  loom_generation_controller_get_action_group (f->controller));
  loom_generation_controller_set_window (f->controller, f->window);
  loom_generation_controller_set_story (f->controller, f->story);
  gtk_window_present (f->window);
  test_spin_until (widget_mapped, f->window, "the window to map");
  test_spin_until (key_ready, f, "the API key");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{

  gtk_window_destroy (f->window);
  g_clear_object (&f->window);
  g_clear_object (&f->controller);
  /* Dialogs left open by a test. */
  for (guint i = g_list_model_get_n_items (gtk_window_get_toplevels ()); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (gtk_window_get_toplevels (), i - 1);
      gtk_window_destroy (window);
    }
  g_settings_reset (f->settings, "api-base");
  g_settings_reset (f->settings, "model");
  g_clear_object (&f->settings);
  g_clear_object (&f->server);
  loom_store_close (f->store);
  g_clear_object (&f->store);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_prompt_dialog (Fixture       *f,
                    gconstpointer  data)
{
  LoomPromptDialog *dialog;
  g_autofree char *text = NULL;
  g_autofree char *estimate = NULL;
  LoomPrompt *prompt;

  g_autoptr(GError) error = NULL;
  g_autofree char *parts = NULL;

  /* what the prompt remembers: the earlier scene's summary, how it ends */
  g_assert_true (loom_scene_set_prose (f->scenes[0], "The caravan left the oasis at dawn.",
                                       &error));
  g_assert_true (loom_store_set_summary (f->store, f->scenes[0], "They leave the oasis.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  g_assert_no_error (error);
  loom_generation_controller_set_item (f->controller, G_OBJECT (f->scenes[1]));
  g_assert_true (g_action_group_get_action_enabled (
                   loom_generation_controller_get_action_group (f->controller), "show-prompt"));
  dialog = LOOM_PROMPT_DIALOG (loom_generation_controller_show_prompt (f->controller));
  g_assert_nonnull (dialog);
  test_spin_until (widget_mapped, dialog, "the prompt dialog");

  prompt = loom_prompt_dialog_get_prompt (dialog);
  text = loom_prompt_dialog_get_text (dialog);
  /* The exact messages: every one of them is in the text. */
  for (guint i = 0; i < json_array_get_length (loom_prompt_get_messages (prompt)); i++)
    {
      JsonObject *message = json_array_get_object_element (loom_prompt_get_messages (prompt), i);
      g_assert_nonnull (strstr (text, json_object_get_string_member (message, "content")));
    }
  g_assert_nonnull (strstr (text, "The caravan loses a camel"));
  estimate = g_strdup_printf ("about %u tokens", loom_prompt_get_token_estimate (prompt));
  g_assert_nonnull (strstr (loom_prompt_dialog_get_subtitle (dialog), estimate));
  g_assert_nonnull (strstr (loom_prompt_dialog_get_subtitle (dialog), "mock/novelist"));
  parts = loom_prompt_dialog_get_parts_text (dialog);
  g_assert_nonnull (strstr (parts, "Chapter 1, “Departure”: summaries of the earlier scenes — "
                                   "included: 1 scene\n"));
  g_assert_nonnull (strstr (parts, "End of the previous scene — included: its last 7 words\n"));
  g_assert_nonnull (strstr (text, "They leave the oasis."));
  test_maybe_pause ();
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Clicks the button labelled LABEL below ROOT with the pointer, once ROOT is drawn as it
 * now is. */
static gboolean
click_button (GtkWidget  *root,
              const char *label)
{
  GtkWidget *button;

  test_ui_settle (root);
  button = test_ui_find_button (root, label);
  g_assert_nonnull (button);
  return test_ui_click (button);
}

static void
test_revisions_restore (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = f->scenes[0];
  LoomRevisionsDialog *dialog;
  GListModel *revisions;
  g_autoptr(LoomRevision) newest = NULL;
  g_autofree char *shown = NULL;

  loom_scene_set_prose (scene, "Dawn. The salt town sleeps as the caravan goes.", &error);
  g_assert_no_error (error);
  loom_store_add_revision (f->store, scene, "An older dawn, told slowly and at length.",
                           LOOM_REVISION_GENERATION, "mock/old-model", &error);
  g_assert_no_error (error);
  loom_store_add_revision (f->store, scene, "A dawn cut short by the stop button",
                           LOOM_REVISION_PARTIAL, "mock/novelist", &error);
  g_assert_no_error (error);

  loom_generation_controller_set_item (f->controller, G_OBJECT (scene));
  dialog = LOOM_REVISIONS_DIALOG (loom_generation_controller_show_revisions (f->controller));
  test_spin_until (widget_mapped, dialog, "the history");
  revisions = loom_revisions_dialog_get_revisions (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 2);

  /* Newest first, compared word by word with the current prose: what restoring would take
   * out is struck through, what it would bring back highlighted. */
  g_assert_true (loom_revisions_dialog_get_compare (dialog));
  shown = loom_revisions_dialog_get_marked_text (dialog);
  g_assert_cmpstr (shown, ==, "[-Dawn. The salt town sleeps as ][+A dawn cut short by ]the "
                              "[-caravan goes.][+stop button]");
  g_clear_pointer (&shown, g_free);
  loom_scene_set_prose (scene, "An older dawn, told quickly.", &error);
  loom_revisions_dialog_select (dialog, 1);
  shown = loom_revisions_dialog_get_marked_text (dialog);
  g_assert_cmpstr (shown, ==, "An older dawn, told [-quickly][+slowly and at length].");
  g_clear_pointer (&shown, g_free);
  test_maybe_pause ();

  /* Without the comparison, the version alone. */
  loom_revisions_dialog_set_compare (dialog, FALSE);
  shown = loom_revisions_dialog_get_shown_text (dialog);
  g_assert_cmpstr (shown, ==, "An older dawn, told slowly and at length.");
  loom_scene_set_prose (scene, "Dawn. The salt town sleeps as the caravan goes.", &error);
  g_assert_no_error (error);

  /* Restore, the header button, clicked. */
  if (!click_button (GTK_WIDGET (dialog), "_Restore"))
    return;
  test_wait_for_prose (scene, "An older dawn, told slowly and at length.", "the restored prose");

  /* The prose it replaced became a revision, and the list shows it. */
  revisions = loom_revisions_dialog_get_revisions (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 3);
  newest = g_list_model_get_item (revisions, 0);
  g_assert_cmpint (loom_revision_get_origin (newest), ==, LOOM_REVISION_RESTORE);
  g_assert_cmpstr (loom_revision_get_prose (newest), ==,
                   "Dawn. The salt town sleeps as the caravan goes.");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_show_preferences (LoomGenerationController *controller,
                     Fixture                  *f)
{
  f->preferences_asked++;
}

static gboolean
preferences_asked (gpointer data)
{
  Fixture *f = data;

  return f->preferences_asked > 0;
}

static void
test_key_dialog (Fixture       *f,
                 gconstpointer  data)
{
  GtkWindow *dialog;

  g_signal_connect (f->controller, "show-preferences", G_CALLBACK (on_show_preferences), f);
  dialog = loom_generation_controller_show_key_dialog (f->controller, NULL);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  test_spin_until (widget_mapped, dialog, "the set-up dialog");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "OPENROUTER_API_KEY"));
  /* Asking again shows the same dialog. */
  g_assert_true (loom_generation_controller_show_key_dialog (f->controller, NULL) == dialog);
  test_maybe_pause ();
  /* Enter answers with the default response, as a keyboard user answers. (A click aimed at
   * the button can miss: the dialog lays itself out twice, at two sizes.) */
  if (!test_ui_press (dialog, "Return"))
    return;
  test_spin_until (preferences_asked, f, "Open Preferences, by Enter");
  g_assert_cmpuint (f->preferences_asked, ==, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* Preferences                                                                                */

typedef struct
{
  LoomGenerationPreferences *page;
} PageWait;

static gboolean
page_idle (gpointer data)
{
  return !loom_generation_preferences_get_busy (data);
}

static gpointer
child (LoomGenerationPreferences *page,
       const char                *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (page), LOOM_TYPE_GENERATION_PREFERENCES,
                                        name);
}

static gboolean
models_listed (gpointer data)
{
  const char *result = loom_generation_preferences_get_test_result (data);

  /* the mock's three, not "Asking the server for its models…" */
  return result != NULL && strstr (result, "3 models") != NULL;
}

static LoomGenerationPreferences *
open_preferences (Fixture *f)
{
  GtkWindow *window = GTK_WINDOW (adw_preferences_window_new ());
  LoomGenerationPreferences *page = loom_generation_preferences_new ();

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_transient_for (window, f->window);
  gtk_window_set_default_size (window, 640, 720);
  gtk_window_present (window);
  test_spin_until (widget_mapped, page, "the preferences");
  test_spin_until (page_idle, page, "the key look-up");
  return page;
}

static void
test_preferences_round_trip (Fixture       *f,
                             gconstpointer  data)
{
  LoomGenerationPreferences *page = open_preferences (f);
  LoomAiClient *client = loom_generation_controller_get_client (f->controller);
  LoomGenerator *generator = loom_generation_controller_get_generator (f->controller);
  g_auto(GStrv) ids = NULL;
  g_autofree char *model = NULL;

  /* Settings → rows. */
  g_assert_cmpstr (gtk_editable_get_text (child (page, "api_base_row")), ==,
                   loom_mock_server_get_base_url (f->server));
  g_settings_set_double (f->settings, "temperature", 0.4);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (child (page, "temperature_spin")),
                                  0.4, 1e-9);
  g_settings_set_int (f->settings, "concurrency", 5);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (page, "concurrency_spin")), ==, 5);
  g_assert_cmpuint (loom_generator_get_max_jobs (generator), ==, 5);

  /* Rows → settings → the controller's client and generator. */
  gtk_spin_button_set_value (child (page, "temperature_spin"), 1.5);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (f->settings, "temperature"), 1.5, 1e-9);
  gtk_spin_button_set_value (child (page, "max_tokens_spin"), 2048);
  g_assert_cmpint (g_settings_get_int (f->settings, "max-tokens"), ==, 2048);
  gtk_spin_button_set_value (child (page, "concurrency_spin"), 2);
  g_assert_cmpuint (loom_generator_get_max_jobs (generator), ==, 2);
  gtk_editable_set_text (child (page, "model_row"), "mock/typed-model");
  g_assert_cmpstr (loom_ai_client_get_model (client), ==, "mock/typed-model");

  /* OPENROUTER_API_KEY is OpenRouter's: the mock on this computer is not given it (issue 11).
   * The key is never shown. */
  g_assert_null (strstr (loom_generation_preferences_get_key_status (page),
                         "OPENROUTER_API_KEY"));
  g_assert_false (loom_ai_client_get_has_api_key (client));
  g_assert_cmpstr (gtk_editable_get_text (child (page, "key_row")), ==, "");

  /* Test, clicked, lists the models with prices; choosing one sets the model. */
  if (!click_button (GTK_WIDGET (page), "_Test"))
    return;
  test_spin_until (models_listed, page, "the models");
  test_spin_until (page_idle, page, "the models");
  g_assert_nonnull (strstr (loom_generation_preferences_get_test_result (page), "3 models"));
  ids = loom_generation_preferences_dup_model_ids (page);
  g_assert_cmpuint (g_strv_length (ids), ==, 4);  /* the typed one and the server's three */
  g_assert_true (g_strv_contains ((const char *const *) ids, "mock/tiny"));
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], "mock/tiny"))
      loom_generation_preferences_select_model (page, i);
  model = g_settings_get_string (f->settings, "model");
  g_assert_cmpstr (model, ==, "mock/tiny");
  g_assert_cmpstr (gtk_editable_get_text (child (page, "model_row")), ==, "mock/tiny");
  g_assert_cmpstr (loom_ai_client_get_model (client), ==, "mock/tiny");

  /* A preset sets the address. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gen-prefs.preset", "s",
                                             "http://localhost:11434/v1"));
  g_assert_cmpstr (loom_ai_client_get_base_url (client), ==, "http://localhost:11434/v1");
  test_maybe_pause ();

  g_settings_reset (f->settings, "temperature");
  g_settings_reset (f->settings, "max-tokens");
  g_settings_reset (f->settings, "concurrency");
}

static gboolean
controller_has_key (gpointer data)
{
  Fixture *f = data;
  return loom_generation_controller_get_key_ready (f->controller) &&
         loom_ai_client_get_has_api_key (loom_generation_controller_get_client (f->controller));
}

static gboolean
controller_has_no_key (gpointer data)
{
  Fixture *f = data;
  return loom_generation_controller_get_key_ready (f->controller) &&
         !loom_ai_client_get_has_api_key (loom_generation_controller_get_client (f->controller));
}

static void
test_preferences_keyring (Fixture       *f,
                          gconstpointer  data)
{
  LoomGenerationPreferences *page;

  if (g_getenv ("STORYLOOM_TEST_KEYRING") == NULL)
    {
      g_test_skip ("No private keyring: the keyring round trip runs under tests/ai/with-keyring.sh "
                   "(test-generation-dialogs-keyring); here the key comes from "
                   "OPENROUTER_API_KEY");
      return;
    }

  g_unsetenv ("OPENROUTER_API_KEY");
  page = open_preferences (f);
  g_assert_null (strstr (loom_generation_preferences_get_key_status (page), "keyring"));

  /* Stored through the core, never shown back, and every controller picks it up. */
  loom_generation_preferences_enter_key (page, "sk-or-stored-in-keyring");
  test_spin_until (page_idle, page, "the key to be stored");
  g_assert_cmpstr (loom_generation_preferences_get_key_status (page), ==, "Stored in the keyring");
  g_assert_cmpstr (gtk_editable_get_text (child (page, "key_row")), ==, "");
  test_spin_until (controller_has_key, f, "the controller to read the stored key");

  if (!click_button (GTK_WIDGET (page), "_Remove"))
    return;
  test_spin_until (controller_has_no_key, f, "the controller to forget the key");
  test_spin_until (page_idle, page, "the key to be removed");
  g_assert_null (strstr (loom_generation_preferences_get_key_status (page), "keyring"));
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
}

/* STORYLOOM_API_BASE, STORYLOOM_MODEL and OPENROUTER_API_KEY override the page: it says so,
 * and the rows they override are not editable; without them the line is not there. */
static void
test_preferences_environment (Fixture       *f,
                              gconstpointer  data)
{
  LoomGenerationPreferences *page;
  const char *text;

  g_setenv ("STORYLOOM_MODEL", "mock/from-env", TRUE);
  page = open_preferences (f);
  text = loom_generation_preferences_get_environment_text (page);
  g_test_message ("%s", text);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "STORYLOOM_MODEL sets the model to mock/from-env."));
  g_assert_nonnull (strstr (text, "OPENROUTER_API_KEY"));
  /* The key itself is never shown. */
  g_assert_null (strstr (text, TEST_KEY));
  g_assert_null (strstr (text, "STORYLOOM_API_BASE"));
  g_assert_false (gtk_widget_get_sensitive (child (page, "model_row")));
  g_assert_true (gtk_widget_get_sensitive (child (page, "api_base_row")));
  g_unsetenv ("STORYLOOM_MODEL");
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));

  g_unsetenv ("OPENROUTER_API_KEY");
  page = open_preferences (f);
  g_assert_null (loom_generation_preferences_get_environment_text (page));
  g_assert_true (gtk_widget_get_sensitive (child (page, "model_row")));
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-dialogs"))
    return g_test_run ();
  loom_api_key_set_keyring_timeout (2000);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/generation-dialogs/prompt", test_prompt_dialog);
  ADD ("/generation-dialogs/revisions/restore", test_revisions_restore);
  ADD ("/generation-dialogs/key-dialog", test_key_dialog);
  ADD ("/generation-dialogs/preferences/round-trip", test_preferences_round_trip);
  ADD ("/generation-dialogs/preferences/keyring", test_preferences_keyring);
  ADD ("/generation-dialogs/preferences/environment", test_preferences_environment);

  return g_test_run ();
}
