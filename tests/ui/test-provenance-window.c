/* test-provenance-window.c: the writer's keys, pastes, drags and the tint inside a generated
 * scene (issue 18)
 *
 * A real LoomApplication's window on a fresh library with one generated scene; keys, clicks
 * and drags go through the X server with xdotool. What the tests check is what the library
 * keeps once the editor saved: who wrote each character; and which characters are tinted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-provenance-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-disclosure.h"
#include "loom-store-provenance.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

#define GENERATED "The boat left the harbour."

typedef struct
{
  char        *dir;
  char        *path;
  LoomStore   *store;
  LoomScene   *scene;
  gint64       generation;
  LoomWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  LoomStory *story;
  LoomChapter *chapter;

  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  fixture->store = test_library_open ("storyloom-provenance-XXXXXX", &fixture->dir,
                                      &fixture->path);
  story = loom_store_create_story (fixture->store, "Harbour", "", "", &error);
  chapter = loom_store_add_chapter (fixture->store, story, LOOM_POSITION_END, "One", &error);
  fixture->scene = loom_store_add_scene (fixture->store, chapter, LOOM_POSITION_END, "Leaving",
                                         &error);
  g_assert_no_error (error);
  test_generate (fixture->store, fixture->scene, LOOM_GENERATION_COMPLETE, "m/one", GENERATED);
  id = test_sql_value (fixture->path, "SELECT max (id) FROM generations");
  fixture->generation = g_ascii_strtoll (id, NULL, 10);

  fixture->window = LOOM_WINDOW (test_ui_present_window (fixture->store, 1100, 720));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  Fixture    *fixture;
  const char *prose;
} ProseWait;

static gboolean
prose_saved (gpointer data)
{
  ProseWait *wait = data;

  return g_strcmp0 (loom_scene_get_prose (wait->fixture->scene), wait->prose) == 0;
}

static gboolean
prose_shorter (gpointer data)
{
  g_autofree char *shown = buffer_text (GTK_TEXT_VIEW (data));

  return strlen (shown) < strlen (GENERATED);
}

/* Waits for the editor to save @prose, then returns the library's spans of it as
 * "length origin" words, the generation's id written as "G". */
static char *
saved_spans (Fixture    *fixture,
             const char *prose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) spans = NULL;
  g_autofree char *what = g_strdup_printf ("the editor to save “%s”", prose);
  g_autofree char *gen = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->generation);
  ProseWait wait = { fixture, prose };
  GString *out = g_string_new (NULL);
  const LoomSpan *runs;
  guint n;

  test_spin_until (prose_saved, &wait, what);
  spans = loom_store_get_provenance (fixture->store, fixture->scene, &error);
  g_assert_no_error (error);
  runs = loom_provenance_get_spans (spans, &n);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "%s%u %s", i > 0 ? " " : "", runs[i].length,
                              loom_span_origin_to_string (runs[i].origin));
      if (runs[i].generation_id == fixture->generation)
        g_string_append (out, "G");
      else if (runs[i].generation_id != 0)
        g_string_append (out, "?");
    }
  return g_string_free (out, FALSE);
}

/* Clicks into the scene's prose and waits for the keyboard there. FALSE without xdotool. */
static gboolean
focus_prose (Fixture *fixture)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));

  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scene));
  test_spin_until (test_ui_allocated, prose, "the prose laid out");
  if (!test_ui_click (prose))
    return FALSE;
  test_spin_until (test_ui_has_focus, prose, "the focus in the prose");
  return TRUE;
}

/* The writer clicks into the generated prose, goes to the end of its first word and types:
 * the typed word is theirs and splits the model's span in two; undo takes it out and gives
 * the model its whole sentence back; deleting the model's last word and undoing brings its
 * origin back, not the writer's. */
static void
test_typing_splits_generated (Fixture       *fixture,
                              gconstpointer  data)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));
  GtkWindow *window = GTK_WINDOW (fixture->window);
  g_autofree char *typed = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *expected = NULL;

  if (!focus_prose (fixture))
    return;
  if (!test_ui_press (window, "ctrl+Home") || !test_ui_press (window, "ctrl+Right") ||
      !test_ui_type (window, " old"))
    return;
  typed = saved_spans (fixture, "The old boat left the harbour.");
  g_assert_cmpstr (typed, ==, "3 aiG 4 writer 23 aiG");

  if (!test_ui_press (window, "ctrl+z"))
    return;
  undone = saved_spans (fixture, GENERATED);
  g_assert_cmpstr (undone, ==, "26 aiG");

  /* the model's last word goes (selected back from the end and deleted), then comes back
   * with ctrl+z */
  if (!test_ui_press (window, "ctrl+End") || !test_ui_press (window, "ctrl+shift+Left") ||
      !test_ui_press (window, "BackSpace"))
    return;
  /* the key reaches the window through the X server, a moment after xdotool returns */
  test_spin_until (prose_shorter, prose, "the deletion in the prose");
  shown = buffer_text (GTK_TEXT_VIEW (prose));
  g_assert_true (g_str_has_prefix (GENERATED, shown));
  deleted = saved_spans (fixture, shown);
  expected = g_strdup_printf ("%u aiG", (guint) g_utf8_strlen (shown, -1));
  g_assert_cmpstr (deleted, ==, expected);
  if (!test_ui_press (window, "ctrl+z"))
    return;
  restored = saved_spans (fixture, GENERATED);
  g_assert_cmpstr (restored, ==, "26 aiG");
}

/* The model's last word copied with ctrl+c and pasted back with ctrl+v stays the model's;
 * text another program put on the clipboard, pasted the same way, is unknown, not the
 * writer's, and the report counts it so; ctrl+z takes the paste out with its spans; a word
 * cut with ctrl+x and pasted elsewhere keeps its origin. */
static void
test_paste (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDisclosure) report = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *cut = NULL;

  if (!focus_prose (fixture))
    return;
  /* "harbour" selected back from before the full stop, copied, and pasted after a space the
   * writer types at the end */
  if (!test_ui_press (window, "ctrl+End") || !test_ui_press (window, "Left") ||
      !test_ui_press (window, "ctrl+shift+Left") || !test_ui_press (window, "ctrl+c") ||
      !test_ui_press (window, "ctrl+End") || !test_ui_type (window, " ") ||
      !test_ui_press (window, "ctrl+v"))
    return;
  copied = saved_spans (fixture, GENERATED " harbour");
  g_assert_cmpstr (copied, ==, "26 aiG 1 writer 7 aiG");

  /* another program's text on the clipboard */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (prose), " Gulls cried.");
  if (!test_ui_press (window, "ctrl+v"))
    return;
  foreign = saved_spans (fixture, GENERATED " harbour Gulls cried.");
  g_assert_cmpstr (foreign, ==, "26 aiG 1 writer 7 aiG 13 unknown");

  report = loom_store_get_disclosure (fixture->store,
                                      loom_chapter_get_story (loom_scene_get_chapter (fixture->scene)),
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->words.writer, ==, 0);
  g_assert_cmpuint (report->words.kept, ==, 6);
  g_assert_cmpuint (report->words.edited, ==, 0);
  g_assert_cmpuint (report->words.unknown, ==, 2);

  if (!test_ui_press (window, "ctrl+z"))
    return;
  undone = saved_spans (fixture, GENERATED " harbour");
  g_assert_cmpstr (undone, ==, "26 aiG 1 writer 7 aiG");

  /* the model's first word cut with ctrl+x and pasted at the end is still the model's */
  if (!test_ui_press (window, "ctrl+Home") || !test_ui_press (window, "ctrl+shift+Right") ||
      !test_ui_press (window, "ctrl+x") || !test_ui_press (window, "ctrl+End") ||
      !test_ui_press (window, "ctrl+v"))
    return;
  cut = saved_spans (fixture, " boat left the harbour. harbourThe");
  g_assert_cmpstr (cut, ==, "23 aiG 1 writer 10 aiG");
}

/* The middle of the character at @offset of @view's text, in @view's coordinates. */
static void
char_point (GtkTextView *view,
            int          offset,
            double      *x,
            double      *y)
{
  GtkTextIter iter;
  GdkRectangle where;
  int wx, wy;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (view), &iter, offset);
  gtk_text_view_get_iter_location (view, &iter, &where);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET,
                                         where.x + where.width / 2, where.y + where.height / 2,
                                         &wx, &wy);
  *x = wx;
  *y = wy;
}

/* The model's word "boat", selected with the keys and dragged with the real pointer to the
 * end of the writer's sentence, is still the model's there. */
static void
test_drag_within (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextView *prose = GTK_TEXT_VIEW (loom_scene_editor_get_prose_view (editor));
  g_autofree char *typed = NULL;
  g_autofree char *moved = NULL;
  double x0, y0, x1, y1;

  if (!focus_prose (fixture))
    return;
  if (!test_ui_press (window, "ctrl+End") || !test_ui_type (window, " Rain."))
    return;
  typed = saved_spans (fixture, GENERATED " Rain.");
  g_assert_cmpstr (typed, ==, "26 aiG 6 writer");

  /* "boat" selected, then dragged from its middle to just past the final full stop */
  if (!test_ui_press (window, "ctrl+Home") || !test_ui_press (window, "ctrl+Right") ||
      !test_ui_press (window, "Right") || !test_ui_press (window, "ctrl+shift+Right"))
    return;
  char_point (prose, 6, &x0, &y0);
  char_point (prose, 31, &x1, &y1);
  x1 += 12;
  if (!test_ui_drag_within (GTK_WIDGET (prose), x0, y0, x1, y1))
    return;
  moved = saved_spans (fixture, "The  left the harbour. Rain.boat");
  g_assert_cmpstr (moved, ==, "22 aiG 6 writer 4 aiG");
}

/* The model's word "boat", selected with the keys and pasted with the middle button (the
 * primary selection) after the writer's sentence, is still the model's there. */
static void
test_middle_click_paste (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextView *prose = GTK_TEXT_VIEW (loom_scene_editor_get_prose_view (editor));
  g_autofree char *typed = NULL;
  g_autofree char *pasted = NULL;
  double x, y;

  if (!focus_prose (fixture))
    return;
  if (!test_ui_press (window, "ctrl+End") || !test_ui_type (window, " Rain."))
    return;
  typed = saved_spans (fixture, GENERATED " Rain.");
  g_assert_cmpstr (typed, ==, "26 aiG 6 writer");

  if (!test_ui_press (window, "ctrl+Home") || !test_ui_press (window, "ctrl+Right") ||
      !test_ui_press (window, "Right") || !test_ui_press (window, "ctrl+shift+Right"))
    return;
  char_point (prose, 31, &x, &y);
  if (!test_ui_click_at (GTK_WIDGET (prose), x + 12, y, 2))
    return;
  pasted = saved_spans (fixture, GENERATED " Rain.boat");
  g_assert_cmpstr (pasted, ==, "26 aiG 6 writer 4 aiG");
}

static GtkTextTag *
tint_tag (GtkTextBuffer *buffer)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                               "provenance-tint");

  g_assert_nonnull (tag);
  return tag;
}

/* Which characters of the buffer carry the tint: "x" for a tinted one, "." for another. */
static char *
tint_map (GtkTextBuffer *buffer)
{
  GtkTextTag *tint = tint_tag (buffer);
  GString *map = g_string_new (NULL);
  GtkTextIter iter;

  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter);
       gtk_text_iter_forward_char (&iter))
    g_string_append_c (map, gtk_text_iter_has_tag (&iter, tint) ? 'x' : '.');
  return g_string_free (map, FALSE);
}

typedef struct
{
  GtkTextBuffer *buffer;
  const char    *map;
} TintWait;

static gboolean
tint_is (gpointer data)
{
  TintWait *wait = data;
  g_autofree char *map = tint_map (wait->buffer);

  return g_str_equal (map, wait->map);
}

/* "Tint AI-Written Text" is off by default; clicked in the main menu, it tints the model's
 * words in the prose and not the writer's; it is a setting, so a new window tints too, and
 * clicking it again takes the tint away. */
static void
test_tint (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");
  GtkWindow *window = GTK_WINDOW (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (loom_scene_editor_get_prose_view (editor));
  /* "The old boat left the harbour.": the writer typed " old" */
  g_autofree char *model_words = g_strnfill (23, 'x');
  g_autofree char *tinted_map = g_strconcat ("xxx....", model_words, NULL);
  g_autofree char *plain_map = g_strnfill (30, '.');
  TintWait tinted = { buffer, tinted_map };
  TintWait plain = { buffer, plain_map };
  g_autofree char *typed = NULL;
  g_autofree char *off = NULL;
  GtkWindow *second;
  LoomSceneEditor *second_editor;

  g_assert_false (g_settings_get_boolean (settings, "tint-ai-text"));
  if (!focus_prose (fixture))
    return;
  if (!test_ui_press (window, "ctrl+Home") || !test_ui_press (window, "ctrl+Right") ||
      !test_ui_type (window, " old"))
    return;
  typed = saved_spans (fixture, "The old boat left the harbour.");
  g_assert_cmpstr (typed, ==, "3 aiG 4 writer 23 aiG");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  off = tint_map (buffer);
  g_assert_cmpstr (off, ==, plain.map);

  if (!test_ui_click_menu_item (fixture->window->primary_button, "Tint AI-Written Text"))
    return;
  test_spin_until (tint_is, &tinted, "the model's words tinted");
  g_assert_true (g_settings_get_boolean (settings, "tint-ai-text"));

  /* a new window on the library finds the setting on */
  second = test_ui_present_window (fixture->store, 900, 600);
  second_editor = _loom_window_get_editor (LOOM_WINDOW (second));
  loom_sidebar_select_item (_loom_window_get_sidebar (LOOM_WINDOW (second)),
                            G_OBJECT (fixture->scene));
  {
    TintWait there = { gtk_text_view_get_buffer (loom_scene_editor_get_prose_view (second_editor)),
                       tinted.map };

    test_spin_until (tint_is, &there, "the second window's tint");
  }
  gtk_window_destroy (second);
  g_object_unref (second);

  if (!test_ui_click_menu_item (fixture->window->primary_button, "Tint AI-Written Text"))
    return;
  test_spin_until (tint_is, &plain, "the tint gone");
  g_assert_false (g_settings_get_boolean (settings, "tint-ai-text"));
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/provenance-window"))
    return g_test_run ();

  g_test_add ("/provenance-window/typing-splits-generated", Fixture, NULL, fixture_set_up,
              test_typing_splits_generated, fixture_tear_down);
  g_test_add ("/provenance-window/paste", Fixture, NULL, fixture_set_up, test_paste,
              fixture_tear_down);
  g_test_add ("/provenance-window/tint", Fixture, NULL, fixture_set_up, test_tint,
              fixture_tear_down);
  g_test_add ("/provenance-window/drag-within", Fixture, NULL, fixture_set_up, test_drag_within,
              fixture_tear_down);
  g_test_add ("/provenance-window/middle-click-paste", Fixture, NULL, fixture_set_up,
              test_middle_click_paste, fixture_tear_down);
  return g_test_run ();
}
