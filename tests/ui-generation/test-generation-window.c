/* test-generation-window.c: generation wired into the writing window
 *
 * The window's Generate menu, the row menu and the editor name the controller's gen.* actions;
 * a scene generated from the window shows in the editor, the sidebar marks a stale scene.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-character-row.h"
#include "loom-generation-bar.h"
#include "loom-generation-controller.h"
#include "loom-mock-server.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-provenance.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-util.h"
#include "test-generation-util.h"
#include "test-ui-util.h"

#define TEST_KEY "sk-or-test-wired"

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
  test_generation_window_open (f, "storyloom-gen-window-XXXXXX", 30, 5,
                               test_generation_window_ready);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_generation_window_close (f);
}

static gboolean
menu_names (GMenuModel *menu,
            const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_names (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
first_complete (gpointer data)
{
  Fixture *f = data;

  return loom_scene_get_status (f->scenes[0]) == LOOM_SCENE_STATUS_COMPLETE;
}

static GtkWidget *
find_icon (GtkWidget  *widget,
           const char *icon_name)
{
  if (GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon (child, icon_name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
first_row_stale (gpointer data)
{
  Fixture *f = data;
  LoomSidebarRow *row = loom_sidebar_find_row (f->window->sidebar, G_OBJECT (f->scenes[0]));

  return row != NULL && find_icon (GTK_WIDGET (row), "dialog-warning-symbolic") != NULL;
}

static void
test_wired (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *shown = NULL;
  GtkWidget *mark;

  /* The header's Generate menu is the controller's. */
  g_assert_true (gtk_menu_button_get_menu_model (f->window->generate_button) ==
                 loom_generation_controller_get_menu (controller (f)));
  g_assert_true (menu_names (loom_generation_controller_get_menu (controller (f)),
                             "gen.generate-chapter"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (f->window->generation_bar)));

  /* Selecting in the sidebar selects for the controller. */
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  g_assert_true (loom_generation_controller_get_item (controller (f)) == G_OBJECT (f->scenes[0]));
  g_assert_true (loom_generation_controller_get_story (controller (f)) == f->story);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "gen.generate-scene", NULL));
  test_spin_until (first_complete, f, "the scene to complete");
  buffer = loom_scene_editor_get_prose_buffer (f->window->editor);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, loom_scene_get_prose (f->scenes[0]));
  g_assert_nonnull (strstr (loom_generation_bar_get_cost_text (f->window->generation_bar),
                            "tokens"));

  /* The sidebar marks the scene when its outline changes. */
  loom_scene_set_outline (f->scenes[0], "Mara leaves at night instead.", &error);
  g_assert_no_error (error);
  test_spin_until (first_row_stale, f, "the sidebar's staleness mark");
  mark = find_icon (GTK_WIDGET (loom_sidebar_find_row (f->window->sidebar,
                                                       G_OBJECT (f->scenes[0]))),
                    "dialog-warning-symbolic");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (mark), "outline"));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  GtkTextBuffer *buffer;
  guint          checks;
  guint          mismatches;
} Follow;

/* Runs after the editor's own handler: the buffer must show the beginning of the prose (all
 * of it, or a long paragraph's last deltas may wait for the next update). */
static void
on_streamed (LoomScene  *scene,
             GParamSpec *pspec,
             Follow     *follow)
{
  g_autofree char *shown = buffer_text (follow->buffer);
  const char *prose = loom_scene_get_prose (scene);

  follow->checks++;
  if (!g_str_has_prefix (prose ? prose : "", shown))
    follow->mismatches++;
}

static LoomScene *streamed_scene;

static gboolean
streamed_scene_done (gpointer data)
{
  LoomSceneStatus status = loom_scene_get_status (streamed_scene);

  return status == LOOM_SCENE_STATUS_COMPLETE || status == LOOM_SCENE_STATUS_ERROR;
}

/* Streams @deltas into an empty scene, open in the editor, and checks after every delta that
 * the editor shows exactly the prose so far, and at the end exactly the deltas joined. */
static void
stream_into_editor (Fixture            *f,
                    LoomScene          *scene,
                    const char *const  *deltas,
                    gsize               split_every)
{
  LoomMockResponse *response = loom_mock_response_new ();
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (f->window->editor);
  g_autofree char *expected = g_strjoinv ("", (char **) deltas);
  g_autofree char *shown = NULL;
  Follow follow = { buffer, 0, 0 };
  gulong handler;

  response->deltas = g_strdupv ((char **) deltas);
  response->split_every = split_every;
  response->usage = TRUE;
  loom_mock_server_push (f->server, response);

  streamed_scene = scene;
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));
  g_assert_true (loom_scene_editor_get_scene (f->window->editor) == scene);
  handler = g_signal_connect (scene, "notify::prose", G_CALLBACK (on_streamed), &follow);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "gen.generate-scene", NULL));
  test_spin_until (streamed_scene_done, f, "the scene to be drafted");
  g_signal_handler_disconnect (scene, handler);

  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpuint (follow.checks, >=, g_strv_length ((char **) deltas));
  g_assert_cmpuint (follow.mismatches, ==, 0);
  shown = buffer_text (buffer);
  g_assert_true (g_str_equal (shown, expected));
  g_assert_true (g_str_equal (loom_scene_get_prose (scene), expected));
}

/* Multi-byte characters whose bytes arrive in different reads, paragraph breaks, and one long
 * paragraph: the editor adds each delta at the end and shows exactly what was streamed. */
static void
test_editor_follows_stream (Fixture       *f,
                            gconstpointer  data)
{
  static const char *const words[] = {
    "Zoë", "’s ", "fox ", "🦊 ", "crossed ", "the ", "salt", "—", "then ", "stopped. ", NULL
  };
  g_autofree char *sentence = NULL;
  g_autoptr(GStrvBuilder) paragraphs = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) one_line = g_strv_builder_new ();
  g_auto(GStrv) with_breaks = NULL;
  g_auto(GStrv) long_line = NULL;

  /* The mock shares this main loop and sends a piece per idle turn, about one a frame: a few
   * hundred deltas keep the test short. */
  for (guint i = 0; i < 300; i++)
    g_strv_builder_add (paragraphs, i % 30 == 29 ? "end.\n\n" : words[i % (G_N_ELEMENTS (words) - 1)]);
  g_strv_builder_add (paragraphs, "Last words.");
  with_breaks = g_strv_builder_end (paragraphs);
  stream_into_editor (f, f->scenes[0], (const char *const *) with_breaks, 61);

  /* A sentence a delta: a paragraph of some 30,000 characters. */
  sentence = g_strjoinv ("", (char **) words);
  for (guint i = 0; i < 400; i++)
    g_strv_builder_add (one_line, sentence);
  g_strv_builder_add (one_line, "The end.");
  long_line = g_strv_builder_end (one_line);
  stream_into_editor (f, f->scenes[1], (const char *const *) long_line, 0);
}

static void
find_widgets (GtkWidget  *widget,
              GType       type,
              GPtrArray  *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_widgets (child, type, found);
}

/* Counts notify::tooltip-text and notify::label on @root and everything in it. */
static void
watch_texts (GtkWidget *root,
             guint     *tooltips,
             guint     *labels)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  find_widgets (root, GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      g_signal_connect_swapped (widgets->pdata[i], "notify::tooltip-text",
                                G_CALLBACK (test_count_signal), tooltips);
      if (GTK_IS_LABEL (widgets->pdata[i]))
        g_signal_connect_swapped (widgets->pdata[i], "notify::label",
                                  G_CALLBACK (test_count_signal), labels);
    }
}

static void
unwatch_texts (GtkWidget *root,
               guint     *tooltips,
               guint     *labels)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  find_widgets (root, GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      g_signal_handlers_disconnect_by_data (widgets->pdata[i], tooltips);
      g_signal_handlers_disconnect_by_data (widgets->pdata[i], labels);
    }
}

/* A change to one property of a scene changes only what shows it: the sidebar row, the
 * generation bar and the editor's header set no tooltip or label to the text it already has
 * (each such set costs a relayout, a tooltip one a round trip to the display). */
static void
test_updates_only_what_changed (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = f->scenes[0];
  LoomSidebarRow *row;
  GtkWidget *editor = GTK_WIDGET (f->window->editor);
  GtkWidget *bar = GTK_WIDGET (f->window->generation_bar);
  guint row_tooltips = 0, row_labels = 0;
  guint bar_tooltips = 0, bar_labels = 0;
  guint editor_tooltips = 0, editor_labels = 0;

  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));
  row = loom_sidebar_find_row (f->window->sidebar, G_OBJECT (scene));
  g_assert_nonnull (row);

  watch_texts (GTK_WIDGET (row), &row_tooltips, &row_labels);
  watch_texts (bar, &bar_tooltips, &bar_labels);
  watch_texts (editor, &editor_tooltips, &editor_labels);

  /* Neither the status, the outline nor the number changes: only the word counts. */
  g_assert_true (loom_scene_set_prose (scene, "Three short words.", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (row_tooltips, ==, 1);   /* "3 words" */
  g_assert_cmpuint (row_labels, ==, 1);     /* "3" */
  g_assert_cmpuint (bar_tooltips, ==, 0);
  g_assert_cmpuint (bar_labels, ==, 0);
  g_assert_cmpuint (editor_tooltips, ==, 0);
  /* The words line, once for the scene's count and once for the story's. */
  g_assert_cmpuint (editor_labels, <=, 2);
  g_assert_cmpuint (editor_labels, >=, 1);

  /* Queued and back: the row's and bar's marks change, the bar's tooltips do not. */
  row_tooltips = row_labels = bar_tooltips = bar_labels = editor_tooltips = editor_labels = 0;
  loom_scene_set_queued (scene, TRUE);
  loom_scene_set_queued (scene, FALSE);
  g_assert_cmpuint (bar_tooltips, ==, 0);
  g_assert_cmpuint (row_tooltips, <=, 2);   /* at most the "queued" mark's, made once */
  g_assert_cmpuint (editor_tooltips, ==, 0);
  g_assert_cmpuint (editor_labels, ==, 2);  /* "Draft, waiting…" and back */

  unwatch_texts (GTK_WIDGET (row), &row_tooltips, &row_labels);
  unwatch_texts (bar, &bar_tooltips, &bar_labels);
  unwatch_texts (editor, &editor_tooltips, &editor_labels);
}

/* What a generation whose prompt included @character (or no one) leaves in the library. */
static void
record_generation (Fixture       *f,
                   LoomScene     *scene,
                   const char    *prose,
                   LoomCharacter *character)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) included = g_ptr_array_new ();
  g_autoptr(GArray) inputs = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = prose,
                            .prompt_tokens = -1, .completion_tokens = -1, .cost = -1 };
  gint64 id;

  if (character != NULL)
    g_ptr_array_add (included, character);
  inputs = loom_store_fingerprint_inputs (f->store, scene, included, NULL, 400);
  end.inputs = inputs;
  id = loom_store_begin_generation (f->store, scene, "mock/novelist", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_end_generation (f->store, scene, id, &end, &error));
  g_assert_no_error (error);
}

static GtkWidget *
traits_entry (Fixture       *f,
              LoomCharacter *character)
{
  LoomCharacterRow *row = loom_character_panel_find_row (f->window->character_panel, character);

  return row ? GTK_WIDGET (loom_character_row_get_traits_editable (row)) : NULL;
}

static LoomCharacter *mara_for_condition;

/* The tooltip of the status icon the scene's sidebar row shows, or NULL. */
static const char *
row_status (Fixture   *f,
            LoomScene *scene)
{
  LoomSidebarRow *row = loom_sidebar_find_row (f->window->sidebar, G_OBJECT (scene));
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  if (row == NULL)
    return NULL;
  find_widgets (GTK_WIDGET (row), GTK_TYPE_IMAGE, images);
  for (guint i = 0; i < images->len; i++)
    if (gtk_widget_get_visible (images->pdata[i]) &&
        gtk_widget_get_tooltip_text (images->pdata[i]) != NULL)
      return gtk_widget_get_tooltip_text (images->pdata[i]);
  return NULL;
}

static gboolean
first_marked_outdated (gpointer data)
{
  Fixture *f = data;
  LoomSidebarRow *row = loom_sidebar_find_row (f->window->sidebar, G_OBJECT (f->scenes[0]));

  return g_strcmp0 (loom_sidebar_row_get_status_shown (row), "outdated") == 0 &&
         g_str_has_prefix (row_status (f, f->scenes[0]) ? row_status (f, f->scenes[0]) : "",
                           "Outdated") &&
         g_strcmp0 (loom_scene_editor_get_status_text (f->window->editor), "Outdated") == 0 &&
         loom_generation_bar_get_stale_text (f->window->generation_bar) != NULL;
}

static gboolean
first_shown_complete (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (loom_scene_editor_get_status_text (f->window->editor), "Complete") == 0 &&
         g_strcmp0 (row_status (f, f->scenes[0]), "Complete") == 0 &&
         g_strcmp0 (row_status (f, f->scenes[1]), "Complete") == 0;
}

static gboolean
characters_shown (gpointer data)
{
  Fixture *f = data;

  return adw_flap_get_reveal_progress (f->window->character_flap) >= 1.0;
}

static gboolean
traits_mapped (gpointer data)
{
  Fixture *f = data;
  GtkWidget *entry = traits_entry (f, mara_for_condition);

  return entry != NULL && gtk_widget_get_mapped (entry);
}

static gboolean
focus_in_sidebar (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (f->window->sidebar));
}

static gboolean
focus_in_traits (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, traits_entry (f, mara_for_condition));
}

static gboolean
traits_saved (gpointer data)
{
  return g_strcmp0 (loom_character_get_traits (mara_for_condition), "stubborn, afraid") == 0;
}

/* Typing into a character's traits marks, at once and without reselecting, exactly the scene
 * whose prompt included the character: its sidebar row, the editor's header and the
 * generation bar say it is outdated; the scene whose prompt did not include it stays
 * complete. */
static void
test_outdated_live (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const keys[] = { "End", "comma", "space", "a", "f", "r", "a", "i", "d" };
  g_autoptr(GError) error = NULL;
  LoomCharacter *mara;
  GtkWidget *entry;

  mara = loom_store_add_character (f->store, f->story, "Mara", "stubborn", NULL, &error);
  g_assert_no_error (error);
  mara_for_condition = mara;
  record_generation (f, f->scenes[0], "Mara left before the sun.", mara);
  record_generation (f, f->scenes[1], "The flat shone white.", NULL);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (first_shown_complete, f, "both scenes shown complete");

  /* the characters are shown beside the editor by default */
  test_spin_until (characters_shown, f, "the characters");
  loom_character_row_set_expanded (loom_character_panel_find_row (f->window->character_panel,
                                                                  mara), TRUE);
  test_spin_until (traits_mapped, f, "the traits entry");
  entry = traits_entry (f, mara);
  /* The window puts the keyboard in the sidebar once its rows exist: only then click. */
  test_spin_until (focus_in_sidebar, f, "the keyboard in the sidebar");
  if (!test_ui_click (entry))
    return;
  test_spin_until (focus_in_traits, f, "the keyboard in the traits");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (test_ui_press (GTK_WINDOW (f->window), keys[i]));

  test_spin_until (first_marked_outdated, f, "the first scene marked outdated");
  test_spin_until (traits_saved, f, "the traits saved");
  test_maybe_pause ();
  g_assert_true (first_marked_outdated (f));
  g_assert_nonnull (strstr (row_status (f, f->scenes[0]), "a character it includes"));
  g_assert_cmpstr (row_status (f, f->scenes[1]), ==, "Complete");
  g_assert_false (loom_scene_get_outdated (f->scenes[1]));
  /* nothing was reselected: the editor still shows the first scene */
  g_assert_true (loom_scene_editor_get_scene (f->window->editor) == f->scenes[0]);
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} StreamWait;

static gboolean
editor_shows (gpointer data)
{
  StreamWait *wait = data;
  g_autofree char *shown =
    buffer_text (loom_scene_editor_get_prose_buffer (wait->fixture->window->editor));

  return g_str_equal (shown, wait->text);
}

/* Every character of the prose buffer carries the tint. */
static gboolean
all_tinted (gpointer data)
{
  GtkTextBuffer *buffer = data;
  GtkTextTag *tint = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                "provenance-tint");
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return tint != NULL && gtk_text_iter_starts_tag (&start, tint) &&
         gtk_text_iter_forward_to_tag_toggle (&start, tint) && gtk_text_iter_equal (&start, &end);
}

static gboolean
first_not_generating (gpointer data)
{
  Fixture *f = data;

  return loom_scene_get_status (f->scenes[0]) != LOOM_SCENE_STATUS_GENERATING;
}

/* While a scene streams in (the server holds the stream open after its words), its prose is
 * the running request's: the tint covers it, and the report counts it as generated, never as
 * unknown or the writer's. Stopped, the scene is empty again and the report counts nothing. */
static void
test_provenance_while_streaming (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *const deltas[] = { "The ", "tide ", "came ", "in. ", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) spans = NULL;
  g_autoptr(LoomDisclosure) report = NULL;
  g_autoptr(LoomDisclosure) after = NULL;
  LoomMockResponse *response = loom_mock_response_new ();
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (f->window->editor);
  StreamWait wait = { f, "The tide came in. " };
  g_autofree char *running = NULL;
  const LoomSpan *runs;
  guint n_runs;

  response->deltas = g_strdupv ((char **) deltas);
  response->hold_open = TRUE;
  loom_mock_server_push (f->server, response);
  g_settings_set_boolean (f->settings, "tint-ai-text", TRUE);

  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "gen.generate-scene", NULL));
  test_spin_until (editor_shows, &wait, "the streamed words in the editor");
  g_assert_cmpint (loom_scene_get_status (f->scenes[0]), ==, LOOM_SCENE_STATUS_GENERATING);
  test_spin_until (all_tinted, buffer, "the streamed words tinted");

  running = test_sql_value (loom_store_get_path (f->store),
                            "SELECT id FROM generations WHERE outcome = 'running'");
  spans = loom_store_get_provenance (f->store, f->scenes[0], &error);
  g_assert_no_error (error);
  runs = loom_provenance_get_spans (spans, &n_runs);
  g_assert_cmpuint (n_runs, ==, 1);
  g_assert_cmpint (runs[0].origin, ==, LOOM_SPAN_AI);
  g_assert_cmpint (runs[0].generation_id, ==, g_ascii_strtoll (running, NULL, 10));
  g_assert_cmpuint (runs[0].length, ==, strlen (wait.text));

  report = loom_store_get_disclosure (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->words.kept, ==, 4);
  g_assert_cmpuint (report->words.writer, ==, 0);
  g_assert_cmpuint (report->words.unknown, ==, 0);
  g_assert_cmpuint (report->words.edited, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "gen.stop", NULL));
  test_spin_until (first_not_generating, f, "the generation to stop");
  after = loom_store_get_disclosure (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->words.kept + after->words.writer + after->words.unknown, ==, 0);
  g_settings_reset (f->settings, "tint-ai-text");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-window"))
    return g_test_run ();

  g_test_add ("/generation-window/wired", Fixture, NULL, fixture_set_up, test_wired,
              fixture_tear_down);
  g_test_add ("/generation-window/editor-follows-stream", Fixture, NULL, fixture_set_up,
              test_editor_follows_stream, fixture_tear_down);
  g_test_add ("/generation-window/updates-only-what-changed", Fixture, NULL, fixture_set_up,
              test_updates_only_what_changed, fixture_tear_down);
  g_test_add ("/generation-window/outdated-live", Fixture, NULL, fixture_set_up,
              test_outdated_live, fixture_tear_down);
  g_test_add ("/generation-window/provenance-while-streaming", Fixture, NULL, fixture_set_up,
              test_provenance_while_streaming, fixture_tear_down);

  return g_test_run ();
}
