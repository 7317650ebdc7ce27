/* test-generation-budget.c: prices, estimates and spending limits in the window (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-budget"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-budget.h"
#include "loom-generation-bar.h"
#include "loom-generation-controller.h"
#include "loom-generation-preferences.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-paid-action.h"
#include "loom-store-budget.h"
#include "loom-store-summaries.h"
#include "loom-window-private.h"
#include "test-generation-util.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef TestGenerationWindow Fixture;

static LoomGenerationController *
controller (Fixture *f)
{
  return f->window->generation;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  test_generation_window_open (f, "storyloom-gen-budget-XXXXXX", 30, 2,
                               test_generation_window_ready);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_generation_window_close (f);
}

static guint
n_lists (Fixture *f)
{
  return loom_mock_server_get_model_requests (f->server)->len;
}

static gboolean
list_kept (gpointer data)
{
  Fixture *f = data;
  LoomGenerationController *gen = controller (f);

  return loom_model_catalog_get_date (f->store, loom_generation_controller_get_client (gen)) > 0;
}

static gboolean
two_lists (gpointer data)
{
  return n_lists (data) == 2;
}

/* The window fetches the server's models once it may talk to the server, keeps them in the
 * library, and fetches them again when that copy is more than a day old; the chats' answers
 * and counters are not touched. */
static void
test_models_refreshed (Fixture       *f,
                       gconstpointer  data)
{
  LoomAiClient *client = loom_generation_controller_get_client (controller (f));
  g_autoptr(LoomAiModelInfo) info = NULL;
  g_autofree char *old = NULL;

  test_spin_until (list_kept, f, "the list of models in the library");
  g_assert_cmpuint (n_lists (f), ==, 1);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  info = loom_model_catalog_lookup (f->store, client, "anthropic/claude-3.5-sonnet");
  g_assert_nonnull (info);
  g_assert_cmpint (info->context_length, ==, 200000);

  /* a day and a minute later, a new window asks again */
  old = g_strdup_printf ("UPDATE model_lists SET fetched_at = %" G_GINT64_FORMAT,
                         g_get_real_time () / 1000 - LOOM_MODEL_CATALOG_MAX_AGE_MS - 60000);
  test_sql_exec (loom_store_get_path (f->store), old);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  f->window = g_object_ref_sink (loom_window_new (NULL, f->store));
  gtk_window_present (GTK_WINDOW (f->window));
  test_spin_until (two_lists, f, "the list to be fetched again");
  test_spin_until (test_generation_window_ready, f, "the second window");
}

static gboolean
scenes_complete (gpointer data)
{
  Fixture *f = data;

  return loom_scene_get_status (f->scenes[0]) == LOOM_SCENE_STATUS_COMPLETE &&
         loom_scene_get_status (f->scenes[1]) == LOOM_SCENE_STATUS_COMPLETE;
}

static gboolean
idle (gpointer data)
{
  Fixture *f = data;

  return !loom_generator_get_busy (loom_generation_controller_get_generator (controller (f)));
}

static gboolean
three_requests (gpointer data)
{
  return loom_mock_server_get_n_requests (((Fixture *) data)->server) == 3;
}

static void
set_threshold (Fixture *f,
               double   threshold)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_store_set_confirm_threshold (f->store, threshold, &error));
  g_assert_no_error (error);
}

/* Above the threshold, Generate Chapter asks with the estimate of all its scenes: Cancel sends
 * nothing, Generate sends them. Below it, Regenerate Scene goes without a question; at 0 every
 * paid action asks, Suggest Characters too. All by real clicks. */
static void
test_confirm_above_threshold (Fixture       *f,
                              gconstpointer  data)
{
  AdwMessageDialog *question;
  const char *body;

  test_spin_until (list_kept, f, "the list of models in the library");
  set_threshold (f, 0.001);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->chapter));
  test_generation_settle ();

  if (!test_ui_click_menu_item (f->window->generate_button, "Generate Chapter"))
    return;
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Generate Chapter 1?");
  body = adw_message_dialog_get_body (question);
  g_assert_true (g_str_has_prefix (body, "2 scenes, about $0.0"));
  g_assert_nonnull (strstr (body, " with anthropic/claude-3.5-sonnet ("));
  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, "about 2668 out). Preferences ask above $0.0010."));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");

  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_true (idle (f));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_assert_cmpint (loom_scene_get_status (f->scenes[0]), ==, LOOM_SCENE_STATUS_DRAFT);

  test_ui_click_menu_item (f->window->generate_button, "Generate Chapter");
  question = test_generation_wait_question ();
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Generate"));
  test_spin_until (scenes_complete, f, "the chapter's scenes");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);

  /* below the threshold: no question */
  set_threshold (f, 100);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[1]));
  test_generation_settle ();
  test_ui_click_menu_item (f->window->generate_button, "Regenerate Scene");
  test_spin_until (three_requests, f, "the scene's regeneration");
  test_spin_until (idle, f, "the generator");
  g_assert_true (test_generation_no_question (NULL));

  /* 0: always; the characters' request is not sent on Cancel */
  set_threshold (f, 0);
  test_ui_click_menu_item (f->window->generate_button, "Suggest Characters");
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Suggest Characters?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question),
                                   "Estimated cost: about $0.0"));
  g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (question),
                                   "Preferences ask before every paid request."));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 3);
}

/* The estimate the core makes of Generate Chapter for the window's generator, as the question
 * should say it: "about $… with MODEL (… tokens in, about … out)[, including …]". */
static char *
chapter_estimate (Fixture  *f,
                  gboolean  summaries)
{
  LoomGenerator *generator = loom_generation_controller_get_generator (controller (f));
  LoomPaidAction action = { LOOM_PAID_CHAPTER, f->story, f->chapter, NULL,
                            LOOM_GENERATE_MISSING, NULL, summaries };
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  g_autoptr(GError) error = NULL;
  char *text;

  g_assert_true (loom_generator_estimate_action (generator, &action, &estimate, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (estimate.summaries, ==, summaries ? 2 : 0);
  text = loom_estimate_describe_with_model (&estimate, "anthropic/claude-3.5-sonnet");
  loom_estimate_clear (&estimate);
  return text;
}

/* Clicks Generate Chapter with the chapter selected and returns its question, whose body must
 * be "2 scenes, " @estimate ". Preferences ask above $0.0010."; NULL (the test skipped) when
 * the menu could not be clicked. */
static AdwMessageDialog *
ask_generate_chapter (Fixture    *f,
                      const char *estimate)
{
  g_autofree char *expected = g_strdup_printf ("2 scenes, %s. Preferences ask above $0.0010.",
                                               estimate);
  AdwMessageDialog *question;

  test_spin_until (list_kept, f, "the list of models in the library");
  set_threshold (f, 0.001);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->chapter));
  test_generation_settle ();
  if (!test_ui_click_menu_item (f->window->generate_button, "Generate Chapter"))
    return NULL;
  question = test_generation_wait_question ();
  g_test_message ("%s", adw_message_dialog_get_body (question));
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Generate Chapter 1?");
  g_assert_cmpstr (adw_message_dialog_get_body (question), ==, expected);
  return question;
}

static const char summary_answer[] =
  "```toon\n"
  "summary: Mara crossed the salt flat at night.\n"
  "facts[1]:\n"
  "  - The flat is white under the moon.\n"
  "```";

static gboolean
both_summarized (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < G_N_ELEMENTS (f->scenes); i++)
    {
      g_autoptr(LoomSummary) summary = loom_store_get_summary (f->store, f->scenes[i], NULL);

      if (summary == NULL)
        return FALSE;
    }
  return TRUE;
}

/* "Summarize scenes after drafting" on: Generate Chapter's question counts the summary that
 * follows each draft, and says so; what is then sent is the two drafts and the two summaries
 * it counted. */
static void
test_summaries_estimated (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  g_autofree char *with = NULL;
  AdwMessageDialog *question;

  g_settings_set_boolean (f->settings, "summarize-after-draft", TRUE);
  test_spin_until (list_kept, f, "the list of models in the library");
  with = chapter_estimate (f, TRUE);
  /* two drafts of 1,334 tokens, two summaries of 400 */
  g_assert_true (g_str_has_suffix (with, " about 3468 out), including 2 scene summaries written "
                                         "after drafting"));
  if ((question = ask_generate_chapter (f, with)) == NULL)
    {
      g_settings_set_boolean (f->settings, "summarize-after-draft", FALSE);
      return;
    }

  /* every answer is a summary the decoder accepts: the drafts' prose does not matter here */
  answer->deltas = g_new0 (char *, 2);
  answer->deltas[0] = g_strdup (summary_answer);
  answer->usage = TRUE;
  loom_mock_server_set_default (f->server, answer);
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Generate"));
  test_spin_until (both_summarized, f, "the drafts and their summaries");
  test_spin_until (idle, f, "the generator");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 4);

  /* one scene: its summary too, in the singular */
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_generation_settle ();
  test_ui_click_menu_item (f->window->generate_button, "Regenerate Scene");
  question = test_generation_wait_question ();
  g_test_message ("%s", adw_message_dialog_get_body (question));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question), "1 scene, about $0.0"));
  g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (question),
                                   ", including 1 scene summary written after drafting. "
                                   "Preferences ask above $0.0010."));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 4);
  g_settings_set_boolean (f->settings, "summarize-after-draft", FALSE);
}

/* The setting off: the question's estimate is the drafts' alone and says nothing of summaries,
 * and only the drafts are sent. */
static void
test_summaries_not_estimated (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *without = NULL;
  AdwMessageDialog *question;

  g_settings_set_boolean (f->settings, "summarize-after-draft", FALSE);
  test_spin_until (list_kept, f, "the list of models in the library");
  without = chapter_estimate (f, FALSE);
  g_assert_true (g_str_has_suffix (without, " about 2668 out)"));
  if ((question = ask_generate_chapter (f, without)) == NULL)
    return;
  g_assert_null (strstr (adw_message_dialog_get_body (question), "summar"));

  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Generate"));
  test_spin_until (scenes_complete, f, "the chapter's scenes");
  test_spin_until (idle, f, "the generator");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_assert_false (both_summarized (f));
}

/* Selects @scene in the sidebar and clicks Generate Scene in the Generate menu; FALSE (the
 * test skipped) when the menu could not be clicked. */
static gboolean
click_generate_scene (Fixture   *f,
                      LoomScene *scene)
{
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));
  test_generation_settle ();
  return test_ui_click_menu_item (f->window->generate_button, "Generate Scene");
}

static double
scene_estimate (Fixture   *f,
                LoomScene *scene)
{
  LoomGenerator *generator = loom_generation_controller_get_generator (controller (f));
  LoomPaidAction action = { LOOM_PAID_SCENE, NULL, NULL, scene, 0, NULL };
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  g_autoptr(GError) error = NULL;
  double cost;

  g_assert_true (loom_generator_estimate_action (generator, &action, &estimate, &error));
  g_assert_no_error (error);
  cost = estimate.cost;
  g_assert_cmpfloat (cost, >, 0);
  loom_estimate_clear (&estimate);
  return cost;
}

static double
story_limit (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  double limit = -2;

  g_assert_true (loom_store_get_spending_limit (f->store, f->story, &limit, &error));
  g_assert_no_error (error);
  return limit;
}

static gboolean
scene_complete (gpointer scene)
{
  return loom_scene_get_status (scene) == LOOM_SCENE_STATUS_COMPLETE;
}

/* A story limit of exactly the first scene's estimate lets it go; the second scene would cross
 * it and is refused: the dialog names the limit and what was spent, Cancel sends nothing, and
 * Raise Limit, clicked, raises it and sends the scene. The status line shows spending against
 * the limit. */
static void
test_raise_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  const char *cost;

  test_spin_until (list_kept, f, "the list of models in the library");
  g_assert_true (loom_store_set_spending_limit (f->store, f->story,
                                                scene_estimate (f, f->scenes[0]), &error));
  g_assert_no_error (error);
  if (!click_generate_scene (f, f->scenes[0]))
    return;
  test_spin_until (scene_complete, f->scenes[0], "the first scene");
  g_assert_true (test_generation_no_question (NULL));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  cost = loom_generation_bar_get_cost_text (f->window->generation_bar);
  g_assert_nonnull (strstr (cost, " this story"));
  g_assert_nonnull (strstr (cost, " of $0.0"));

  click_generate_scene (f, f->scenes[1]);
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==,
                   "Story Spending Limit Reached");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question),
                            "“The Salt Road” has spent $0.0"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "so it was not sent"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the dialog to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpfloat (story_limit (f), <, 0.1);
  g_assert_cmpint (loom_scene_get_status (f->scenes[1]), ==, LOOM_SCENE_STATUS_ERROR);

  /* the scene in error offers Retry: refused again, and this time the limit is raised */
  test_ui_click_menu_item (f->window->generate_button, "Generate Scene");
  question = test_generation_wait_question ();
  /* a dollar more than was spent, in whole dollars */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       adw_message_dialog_get_extra_child (question))), ==, 2);
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Raise Limit"));
  test_spin_until (scene_complete, f->scenes[1], "the second scene after the raise");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpfloat_with_epsilon (story_limit (f), 2.0, 1e-9);
  test_spin_until (idle, f, "the generator");
  g_assert_nonnull (strstr (loom_generation_bar_get_cost_text (f->window->generation_bar),
                            " of $2.00 this story"));
}

static gboolean
three_characters (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (loom_story_get_characters (f->story)) == 3;
}

/* A structured request is refused like a scene: Suggest Characters over the story's limit
 * sends nothing and offers to raise it; Raise Limit, clicked, asks the model again, once, and
 * the characters arrive. */
static void
test_raise_limit_characters (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;

  test_spin_until (list_kept, f, "the list of models in the library");
  g_assert_true (loom_store_set_spending_limit (f->store, f->story, 0.000001, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_characters (f->story)), ==, 0);

  /* the window in place before the click, as for the other menu clicks here */
  test_spin_until (test_generation_window_ready, f, "the window");
  test_generation_settle ();
  if (!test_ui_click_menu_item (f->window->generate_button, "Suggest Characters"))
    return;
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==,
                   "Story Spending Limit Reached");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Raise Limit"));
  test_spin_until (three_characters, f, "the suggested characters after the raise");
  test_spin_until (test_generation_no_question, NULL, "the dialog to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpfloat (story_limit (f), >=, 1.0);
  g_assert_null (loom_generation_controller_get_disabled_reason (controller (f),
                                                                 "suggest-characters"));
}

static gboolean
story_limited (gpointer data)
{
  return story_limit (data) >= 0;
}

static gboolean
story_unlimited (gpointer data)
{
  return story_limit (data) < 0;
}

static gboolean
asking (gpointer data)
{
  Fixture *f = data;
  double threshold = -1;

  return loom_store_get_confirm_threshold (f->store, &threshold, NULL) && threshold >= 0;
}

static gboolean
page_idle (gpointer page)
{
  return !loom_generation_preferences_get_busy (page);
}

static gboolean
models_listed (gpointer page)
{
  const char *result = loom_generation_preferences_get_test_result (page);

  return result != NULL && strstr (result, "models") != NULL;
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static gpointer
group_child (LoomGenerationPreferences *page,
             const char                *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (
                                          loom_generation_preferences_get_spending_group (page)),
                                        LOOM_TYPE_SPENDING_GROUP, name);
}

/* Preferences: Test keeps the listed models and their prices in the library; the Spending
 * group shows this story's spending against its limit and sets it with real clicks, and its
 * switch removes it; the threshold's switch turns the question on. */
/* Preferences on the window's library and story, shown and settled. */
static LoomGenerationPreferences *
present_preferences (Fixture    *f,
                     GtkWindow **window)
{
  LoomGenerationPreferences *page = loom_generation_preferences_new ();

  *window = GTK_WINDOW (adw_preferences_window_new ());
  loom_generation_preferences_set_library (page, f->store, f->story);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (*window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_transient_for (*window, GTK_WINDOW (f->window));
  gtk_window_set_default_size (*window, 640, 1000);
  gtk_window_present (*window);
  test_spin_until (widget_mapped, page, "the preferences");
  test_spin_until (page_idle, page, "the key look-up");
  return page;
}

static void
test_preferences_spending (Fixture       *f,
                           gconstpointer  data)
{
  GtkWindow *window = NULL;
  LoomGenerationPreferences *page;
  g_autoptr(GError) error = NULL;
  double threshold = 0;

  test_spin_until (list_kept, f, "the window's own list of models");
  test_sql_exec (loom_store_get_path (f->store), "DELETE FROM model_lists");
  g_assert_cmpint (loom_model_catalog_get_date (f->store, loom_generation_controller_get_client (
                                                  controller (f))), ==, 0);

  page = present_preferences (f, &window);

  if (!test_ui_click (test_ui_find_button (GTK_WIDGET (page), "_Test")))
    {
      gtk_window_destroy (window);
      return;
    }
  /* idle alone may hold before the click has reached the button, under load */
  test_spin_until (models_listed, page, "the models");
  test_spin_until (page_idle, page, "the test to end");
  g_assert_nonnull (strstr (loom_generation_preferences_get_test_result (page), "3 models"));
  test_spin_until (list_kept, f, "the listed models in the library");

  g_assert_cmpstr (adw_action_row_get_subtitle (group_child (page, "story_row")), ==,
                   "$0 spent on “The Salt Road”, no limit");
  /* the focus scrolls the page to the group */
  gtk_widget_grab_focus (GTK_WIDGET (group_child (page, "story_switch")));
  test_spin_until (widget_mapped, group_child (page, "story_switch"), "the story's switch");
  test_generation_settle ();
  test_ui_click (group_child (page, "story_switch"));
  test_spin_until (story_limited, f, "the story's limit");
  g_assert_cmpfloat_with_epsilon (story_limit (f), 5.0, 1e-9);
  g_assert_cmpstr (adw_action_row_get_subtitle (group_child (page, "story_row")), ==,
                   "$0 of $5.00 spent on “The Salt Road”");
  test_ui_click (group_child (page, "story_switch"));
  test_spin_until (story_unlimited, f, "the story's limit removed");

  test_ui_click (group_child (page, "ask_switch"));
  test_spin_until (asking, f, "the question before spending on");
  g_assert_true (loom_store_get_confirm_threshold (f->store, &threshold, &error));
  g_assert_cmpfloat_with_epsilon (threshold, 0.10, 1e-9);
  gtk_window_destroy (window);
}

static double
monthly_limit (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  double limit = -2;

  g_assert_true (loom_store_get_spending_limit (f->store, NULL, &limit, &error));
  g_assert_no_error (error);
  return limit;
}

/* The monthly limit, like the story's: the second scene would cross it and is refused; Raise
 * Limit, clicked, raises it and sends the scene; the new limit shows in the generation bar and
 * in Preferences. */
static void
test_raise_monthly_limit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  GtkWindow *window = NULL;
  LoomGenerationPreferences *page;
  const char *subtitle;

  test_spin_until (list_kept, f, "the list of models in the library");
  g_assert_true (loom_store_set_spending_limit (f->store, NULL, scene_estimate (f, f->scenes[0]),
                                                &error));
  g_assert_no_error (error);
  if (!click_generate_scene (f, f->scenes[0]))
    return;
  test_spin_until (scene_complete, f->scenes[0], "the first scene");
  g_assert_true (test_generation_no_question (NULL));
  g_assert_nonnull (strstr (loom_generation_bar_get_cost_text (f->window->generation_bar),
                            " this month"));

  click_generate_scene (f, f->scenes[1]);
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==,
                   "Monthly Spending Limit Reached");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question),
                                   "The library has spent $0.0"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "monthly limit"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       adw_message_dialog_get_extra_child (question))), ==, 2);
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Raise Limit"));
  test_spin_until (scene_complete, f->scenes[1], "the second scene after the raise");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpfloat_with_epsilon (monthly_limit (f), 2.0, 1e-9);
  test_spin_until (idle, f, "the generator");
  g_assert_nonnull (strstr (loom_generation_bar_get_cost_text (f->window->generation_bar),
                            " of $2.00 this month"));

  page = present_preferences (f, &window);
  subtitle = adw_action_row_get_subtitle (group_child (page, "month_row"));
  g_assert_true (g_str_has_prefix (subtitle, "$0.0"));
  g_assert_true (g_str_has_suffix (subtitle, " of $2.00 spent this month"));
  g_assert_true (gtk_switch_get_active (group_child (page, "month_switch")));
  gtk_window_destroy (window);
}

static gboolean
unknown_price_accepted (Fixture    *f,
                        const char *model)
{
  return loom_budget_get_unknown_price_accepted (f->store, loom_generation_controller_get_client (
                                                   controller (f)), model);
}

static void
use_model (Fixture    *f,
           const char *model)
{
  g_settings_set_string (f->settings, "model", model);
  test_generation_settle ();
  g_assert_cmpstr (loom_ai_client_get_model (loom_generation_controller_get_client (
                                               controller (f))), ==, model);
}

/* With a limit, a model whose price is unknown is refused in the same dialog style: Cancel
 * sends nothing; Send Anyway, clicked, sends it and accepts the model's unknown price, so the
 * next scene goes without a question. */
static void
test_unknown_price_send_anyway (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  const char *body;

  test_spin_until (list_kept, f, "the list of models in the library");
  use_model (f, "mock/unlisted");
  g_assert_true (loom_store_set_spending_limit (f->store, f->story, 5, &error));
  g_assert_no_error (error);
  if (!click_generate_scene (f, f->scenes[0]))
    {
      g_settings_reset (f->settings, "model");
      return;
    }
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Price Unknown");
  body = adw_message_dialog_get_body (question);
  g_assert_true (g_str_has_prefix (body, "The price of “mock/unlisted” is unknown"));
  g_assert_nonnull (strstr (body, "Send Anyway sends it, and from now on requests to "
                                  "“mock/unlisted” on this server go without a price"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the dialog to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_assert_false (unknown_price_accepted (f, "mock/unlisted"));

  test_ui_click_menu_item (f->window->generate_button, "Generate Scene");
  question = test_generation_wait_question ();
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Send Anyway"));
  test_spin_until (scene_complete, f->scenes[0], "the scene sent anyway");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_true (unknown_price_accepted (f, "mock/unlisted"));
  test_spin_until (idle, f, "the generator");

  click_generate_scene (f, f->scenes[1]);
  test_spin_until (scene_complete, f->scenes[1], "the second scene");
  g_assert_true (test_generation_no_question (NULL));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_settings_reset (f->settings, "model");
}

/* The row of Preferences' Spending group titled @title, else NULL. */
static AdwActionRow *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found;

      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return ADW_ACTION_ROW (child);
      if ((found = find_row (child, title)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *model;
} Acceptance;

static gboolean
acceptance_taken_back (gpointer data)
{
  Acceptance *acceptance = data;

  return !unknown_price_accepted (acceptance->f, acceptance->model);
}

static void
accept_unknown_price (LoomStore    *store,
                      LoomAiClient *client,
                      const char   *model)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_budget_set_unknown_price_accepted (store, client, model, TRUE, &error));
  g_assert_no_error (error);
}

/* A model whose unknown price was accepted by a slip is listed in Preferences' Spending group
 * (this server's only); Ask Again, clicked with the pointer, takes it back and its row goes,
 * and the next request to that model asks again. */
static void
test_ask_again (Fixture       *f,
                gconstpointer  data)
{
  LoomAiClient *client = loom_generation_controller_get_client (controller (f));
  g_autoptr(LoomAiClient) local = loom_ai_client_new (NULL);
  Acceptance acceptance = { f, "mock/unlisted" };
  GtkWindow *window = NULL;
  LoomGenerationPreferences *page;
  AdwMessageDialog *question;
  GtkWidget *button;
  AdwActionRow *row;

  test_spin_until (list_kept, f, "the list of models in the library");
  use_model (f, "mock/unlisted");
  set_threshold (f, 0.10);
  accept_unknown_price (f->store, client, "mock/unlisted");
  loom_ai_client_set_base_url (local, "http://localhost:11434/v1");
  accept_unknown_price (f->store, local, "llama3");

  page = present_preferences (f, &window);
  row = find_row (GTK_WIDGET (page), "mock/unlisted");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (row), "Price unknown: sent to "));
  g_assert_null (find_row (GTK_WIDGET (page), "llama3"));
  button = test_ui_find_button (GTK_WIDGET (row), "_Ask Again");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_focusable (button));
  /* a screen reader hears which model it is about, not five times "Ask Again" */
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Ask Again Before Sending to “mock/unlisted”");
  /* the focus scrolls the page to the row */
  gtk_widget_grab_focus (button);
  test_spin_until (widget_mapped, button, "the Ask Again button");
  test_generation_settle ();
  if (!test_ui_click (button))
    {
      gtk_window_destroy (window);
      g_settings_reset (f->settings, "model");
      return;
    }
  test_spin_until (acceptance_taken_back, &acceptance, "the acceptance taken back");
  g_assert_null (find_row (GTK_WIDGET (page), "mock/unlisted"));
  /* the other server's acceptance stays */
  g_assert_true (loom_budget_get_unknown_price_accepted (f->store, local, "llama3"));
  gtk_window_destroy (window);
  test_generation_settle ();

  click_generate_scene (f, f->scenes[0]);
  question = test_generation_wait_question ();
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question),
                                   "1 scene, unknown price with mock/unlisted ("));
  g_assert_nonnull (adw_message_dialog_get_extra_child (question));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  g_settings_reset (f->settings, "model");
}

static gboolean
error_shown (gpointer data)
{
  Fixture *f = data;

  return _loom_window_get_last_error (f->window) != NULL;
}

/* "Don't ask again" that the library refuses to keep: the request the writer agreed to is
 * sent all the same, and the window says that the next one will ask again, and why; the next
 * one does ask. */
static void
test_dont_ask_not_kept (Fixture       *f,
                        gconstpointer  data)
{
  const char *path = loom_store_get_path (f->store);
  AdwMessageDialog *question;
  const char *told;

  test_spin_until (list_kept, f, "the list of models in the library");
  use_model (f, "mock/unlisted");
  set_threshold (f, 0.10);
  test_sql_exec (path, "CREATE TRIGGER keep_no_settings BEFORE INSERT ON library_settings "
                       "BEGIN SELECT RAISE (ABORT, 'no settings today'); END");

  if (!click_generate_scene (f, f->scenes[0]))
    {
      test_sql_exec (path, "DROP TRIGGER keep_no_settings");
      g_settings_reset (f->settings, "model");
      return;
    }
  question = test_generation_wait_question ();
  test_ui_click (adw_message_dialog_get_extra_child (question));
  test_generation_settle ();
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
                   adw_message_dialog_get_extra_child (question))));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Generate"));
  test_spin_until (scene_complete, f->scenes[0], "the scene sent all the same");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_false (unknown_price_accepted (f, "mock/unlisted"));
  test_spin_until (error_shown, f, "the window to say so");
  told = _loom_window_get_last_error (f->window);
  g_test_message ("%s", told);
  g_assert_true (g_str_has_prefix (told, "The request was sent, but “Don't ask again” for "
                                         "“mock/unlisted” could not be kept, so its next "
                                         "request will ask again. "));
  g_assert_nonnull (strstr (told, "no settings today"));
  test_spin_until (idle, f, "the generator");

  click_generate_scene (f, f->scenes[1]);
  question = test_generation_wait_question ();
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question),
                                   "1 scene, unknown price with mock/unlisted ("));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  test_sql_exec (path, "DROP TRIGGER keep_no_settings");
  g_settings_reset (f->settings, "model");
}

static void
restore_env (const char *name,
             const char *value)
{
  if (value != NULL)
    g_setenv (name, value, TRUE);
}

/* Without the suite's setting, a library where nobody chose asks above $0.10: Generate Chapter
 * of five scenes asks with its total. A model of unknown price asks too, once: "Don't ask again
 * for this model", clicked, lets the next request go without a question. */
static void
test_default_asks (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *suite = g_strdup (g_getenv ("STORYLOOM_TEST_ASK_ABOVE"));
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  const char *body;

  g_unsetenv ("STORYLOOM_TEST_ASK_ABOVE");
  test_spin_until (list_kept, f, "the list of models in the library");
  for (guint i = 0; i < 3; i++)
    {
      loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Another salt flat.",
                            &error);
      g_assert_no_error (error);
    }
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->chapter));
  test_generation_settle ();
  if (!test_ui_click_menu_item (f->window->generate_button, "Generate Chapter"))
    {
      restore_env ("STORYLOOM_TEST_ASK_ABOVE", suite);
      return;
    }
  question = test_generation_wait_question ();
  body = adw_message_dialog_get_body (question);
  g_test_message ("%s", body);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Generate Chapter 1?");
  g_assert_true (g_str_has_prefix (body, "5 scenes, about $0.1"));
  g_assert_true (g_str_has_suffix (body, "Preferences ask above $0.1000."));
  g_assert_null (adw_message_dialog_get_extra_child (question));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (test_generation_no_question, NULL, "the question to close");
  test_generation_settle ();
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);

  use_model (f, "mock/unlisted");
  click_generate_scene (f, f->scenes[0]);
  question = test_generation_wait_question ();
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question),
                                   "1 scene, unknown price with mock/unlisted ("));
  test_ui_click (adw_message_dialog_get_extra_child (question));
  test_generation_settle ();
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
                   adw_message_dialog_get_extra_child (question))));
  g_assert_false (unknown_price_accepted (f, "mock/unlisted"));
  test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Generate"));
  test_spin_until (scene_complete, f->scenes[0], "the first scene");
  g_assert_true (unknown_price_accepted (f, "mock/unlisted"));
  test_spin_until (idle, f, "the generator");

  click_generate_scene (f, f->scenes[1]);
  test_spin_until (scene_complete, f->scenes[1], "the second scene, not asked");
  g_assert_true (test_generation_no_question (NULL));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);

  g_settings_reset (f->settings, "model");
  restore_env ("STORYLOOM_TEST_ASK_ABOVE", suite);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-budget"))
    return g_test_run ();
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/generation-budget/models-refreshed", test_models_refreshed);
  ADD ("/generation-budget/confirm-above-threshold", test_confirm_above_threshold);
  ADD ("/generation-budget/raise-limit", test_raise_limit);
  ADD ("/generation-budget/raise-limit-characters", test_raise_limit_characters);
  ADD ("/generation-budget/preferences-spending", test_preferences_spending);
  ADD ("/generation-budget/raise-monthly-limit", test_raise_monthly_limit);
  ADD ("/generation-budget/unknown-price-send-anyway", test_unknown_price_send_anyway);
  ADD ("/generation-budget/default-asks", test_default_asks);
  ADD ("/generation-budget/summaries-estimated", test_summaries_estimated);
  ADD ("/generation-budget/summaries-not-estimated", test_summaries_not_estimated);
  ADD ("/generation-budget/ask-again", test_ask_again);
  ADD ("/generation-budget/dont-ask-not-kept", test_dont_ask_not_kept);
#undef ADD
  return g_test_run ();
}
