/* test-disclosure-window.c: the AI Disclosure dialog (issue 18)
 *
 * A real LoomApplication's window on a library whose story was built with known spans; the
 * dialog is opened from the menus with real clicks (xdotool), and the file chooser of "Export
 * as Markdown…" is GTK's own dialog (no portal outside a sandbox), driven with real keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-disclosure-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-disclosure-dialog.h"
#include "loom-scene.h"
#include "loom-store-provenance.h"
#include "loom-story.h"
#include "loom-story-watch.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  LoomStore   *store;
  LoomStory   *story;
  LoomChapter *chapters[3];
  LoomScene   *scenes[4];
  LoomWindow  *window;
} Fixture;

static LoomScene *
add_scene (Fixture     *fixture,
           LoomChapter *chapter,
           const char  *outline)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = loom_store_add_scene (fixture->store, chapter, LOOM_POSITION_END, outline,
                                           &error);

  g_assert_no_error (error);
  return scene;
}

/* Three chapters, four scenes: nothing written yet. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *titles[] = { "Departure", "Return", "Unknown Shore" };

  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  fixture->store = test_library_open ("storyloom-disclosure-XXXXXX", &fixture->dir,
                                      &fixture->path);
  fixture->story = loom_store_create_story (fixture->store, "Harbour Lights", "", "", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      fixture->chapters[i] = loom_store_add_chapter (fixture->store, fixture->story,
                                                     LOOM_POSITION_END, titles[i], &error);
      g_assert_no_error (error);
    }
  fixture->scenes[0] = add_scene (fixture, fixture->chapters[0], "The ferry");
  fixture->scenes[1] = add_scene (fixture, fixture->chapters[0], "The road");
  fixture->scenes[2] = add_scene (fixture, fixture->chapters[1], "The fox");
  fixture->scenes[3] = add_scene (fixture, fixture->chapters[2], "The shore");
}

static void
present (Fixture *fixture)
{
  fixture->window = LOOM_WINDOW (test_ui_present_window (fixture->store, 1100, 720));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

/* The story of test-provenance's /provenance/report, and a chapter nobody accounts for:
 *   1. four generated words kept ($0.25, m/one), then four the writer typed;
 *   2. three generated words ($0.50, m/two), one of which the writer edited;
 *   3. five words written where no one followed them (as another program writes). */
static void
build_known_spans (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) typed = loom_provenance_new (20, LOOM_SPAN_WRITER, 0);
  g_autoptr(LoomProvenance) edited = NULL;
  gint64 fox;

  test_generate_priced (fixture->store, fixture->scenes[0], "m/one", "One two three four.",
                        0.25);
  g_assert_true (loom_scene_set_prose_tracked (fixture->scenes[1], "Five six seven nine!",
                                               loom_scene_get_prose_version (fixture->scenes[1]),
                                               typed, &error));
  g_assert_no_error (error);

  fox = test_generate_priced (fixture->store, fixture->scenes[2], "m/two", "Red fox runs", 0.5);
  edited = loom_provenance_new (12, LOOM_SPAN_AI, fox);
  loom_provenance_insert (edited, 7, 1, LOOM_SPAN_WRITER, 0);
  g_assert_true (loom_scene_set_prose_tracked (fixture->scenes[2], "Red foxs runs",
                                               loom_scene_get_prose_version (fixture->scenes[2]),
                                               edited, &error));
  g_assert_no_error (error);

  g_assert_true (loom_scene_set_prose (fixture->scenes[3], "Nobody knows who wrote this.",
                                       &error));
  g_assert_no_error (error);
}

static LoomDisclosureDialog *
dialog_shown (void)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_DISCLOSURE_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) ?
         LOOM_DISCLOSURE_DIALOG (dialog) : NULL;
}

static gboolean
dialog_open (gpointer data)
{
  return dialog_shown () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_DISCLOSURE_DIALOG) == NULL;
}

/* Opens the dialog from MENU's item LABEL with real clicks. */
static LoomDisclosureDialog *
open_from_menu (GtkMenuButton *menu,
                const char    *label)
{
  LoomDisclosureDialog *dialog;

  if (!test_ui_click_menu_item (menu, label))
    return NULL;
  test_spin_until (dialog_open, NULL, "the AI Disclosure dialog to open");
  dialog = dialog_shown ();
  test_spin_until (test_ui_allocated, dialog, "the dialog laid out");
  return dialog;
}

typedef struct
{
  LoomDisclosureDialog *dialog;
  const char           *name;
  const char           *expected;
} FigureWait;

static gboolean
figure_is (gpointer data)
{
  FigureWait *wait = data;

  return g_strcmp0 (loom_disclosure_dialog_get_figure (wait->dialog, wait->name),
                    wait->expected) == 0;
}

static void
wait_for_figure (LoomDisclosureDialog *dialog,
                 const char           *name,
                 const char           *expected)
{
  FigureWait wait = { dialog, name, expected };
  g_autofree char *what = g_strdup_printf ("the dialog's %s to read “%s” (it reads “%s”)", name,
                                           expected,
                                           loom_disclosure_dialog_get_figure (dialog, name));

  test_spin_until (figure_is, &wait, what);
}

static gboolean
is_file_chooser (gpointer data)
{
  GtkWindow *chooser = test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);

  return chooser != NULL && gtk_widget_get_mapped (GTK_WIDGET (chooser));
}

static gboolean
chooser_gone (gpointer data)
{
  return test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* What the dialog put on the clipboard, as the clipboard holds it in this program: reading it
 * back through the X server would convert it with the test's locale, not the desktop's. */
static gboolean
clipboard_set (gpointer data)
{
  return gdk_clipboard_get_content (data) != NULL;
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  /* the click is through the X server: the dialog handles it a moment after xdotool ends */
  test_spin_until (clipboard_set, clipboard, "the clipboard to hold what the dialog copied");
  content = gdk_clipboard_get_content (clipboard);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  return g_value_dup_string (&value);
}

/* The mapped button below ROOT with the style class CSS_CLASS (the window's close button has
 * "close"), or, if CSS_CLASS is NULL, the one that activates ACTION. */
static GtkWidget *
find_icon_button (GtkWidget  *root,
                  const char *css_class,
                  const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          (css_class != NULL ? gtk_widget_has_css_class (child, css_class) :
           g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0))
        return child;
      if ((found = find_icon_button (child, css_class, action)) != NULL)
        return found;
    }
  return NULL;
}

/* The story menu's AI Disclosure… shows the report's figures, the chart and its description;
 * Export as Markdown… saves the report's Markdown where the writer types in the file chooser,
 * Copy puts it on the clipboard, a folder that cannot be written is said in the dialog, and
 * the window's close button closes it. */
static void
test_report_shown_and_exported (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDisclosure) report = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *target = g_build_filename (fixture->dir, "disclosure.md", NULL);
  g_autofree char *blocker = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autofree char *unwritable = g_build_filename (blocker, "disclosure.md", NULL);
  g_autofree char *written = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(GFile) bad_file = NULL;
  LoomDisclosureDialog *dialog;
  LoomDisclosureChart *chart;
  GtkWidget *button;
  GtkWindow *chooser;

  build_known_spans (fixture);
  present (fixture);
  report = loom_store_get_disclosure (fixture->store, fixture->story, &error);
  g_assert_no_error (error);
  /* the report the dialog should show, as the core counts it */
  g_assert_cmpuint (report->words.writer, ==, 4);
  g_assert_cmpuint (report->words.kept, ==, 6);
  g_assert_cmpuint (report->words.edited, ==, 1);
  g_assert_cmpuint (report->words.unknown, ==, 5);
  markdown = loom_disclosure_to_markdown (report);

  dialog = open_from_menu (fixture->window->story_button, "AI Disclosure…");
  if (dialog == NULL)
    return;
  chart = loom_disclosure_dialog_get_chart (dialog);
  test_spin_until (test_ui_allocated, chart, "the chart laid out");
  test_maybe_pause ();

  /* 16 words: 4, 6, 1 and 5 of them, rounded to whole percent */
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "writer"), ==, "4 words · 25 %");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "kept"), ==, "6 words · 38 %");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "edited"), ==, "1 word · 6 %");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "unknown"), ==, "5 words · 31 %");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "total"), ==, "16 words");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "cost"), ==, "$0.7500");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "chapter 1"), ==,
                   "8 words: 4 by you, 4 generated and kept, 0 edited, 0 unknown · $0.2500");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "chapter 2"), ==,
                   "3 words: 0 by you, 2 generated and kept, 1 edited, 0 unknown · $0.5000");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "chapter 3"), ==,
                   "5 words: 0 by you, 0 generated and kept, 0 edited, 5 unknown · $0.0000");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "model 1"), ==,
                   "1 request · 4 generated words in the text · $0.2500");
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "model 2"), ==,
                   "1 request · 3 generated words in the text · $0.5000");
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (dialog), "1. Departure"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (dialog), "m/two"));
  /* what "unknown" means is said beside the figures */
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (dialog),
                                        "Unknown: words changed where Storyloom could not "
                                        "follow them (by another program, in an import, or "
                                        "before it kept track). They are not counted as yours."));

  /* the chart: the whole story, then each chapter, its figures for screen readers */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (chart)), >, 100);
  g_assert_cmpuint (loom_disclosure_chart_get_n_bars (chart), ==, 4);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (loom_disclosure_chart_get_description (chart), ==,
                   "Whole story: 16 words, 25 % written by you, 38 % generated and kept "
                   "unchanged, 6 % generated then edited, 31 % of unknown origin. "
                   "Chapter 1: 8 words, 50 % written by you, 50 % generated and kept "
                   "unchanged, 0 % generated then edited, 0 % of unknown origin. "
                   "Chapter 2: 3 words, 0 % written by you, 67 % generated and kept "
                   "unchanged, 33 % generated then edited, 0 % of unknown origin. "
                   "Chapter 3: 5 words, 0 % written by you, 0 % generated and kept "
                   "unchanged, 0 % generated then edited, 100 % of unknown origin.");

  /* Export as Markdown…: the writer clicks it, types the file's path and presses Enter */
  button = test_ui_find_button (GTK_WIDGET (dialog), "_Export as Markdown…");
  g_assert_nonnull (button);
  if (!test_ui_click (button))
    return;
  test_spin_until (is_file_chooser, NULL, "the file chooser to open");
  chooser = test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (chooser), ==, "Export AI Disclosure");
  if (!test_ui_press (chooser, "ctrl+a") || !test_ui_type (chooser, target) ||
      !test_ui_press (chooser, "Return"))
    return;
  test_spin_until (chooser_gone, NULL, "the file chooser to close");
  test_spin_until (file_exists, target, "the report's file");
  g_assert_true (g_file_get_contents (target, &written, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, markdown);
  g_assert_nonnull (strstr (written, "| Written by the writer | 4 | 25 % |"));
  g_assert_null (loom_disclosure_dialog_get_error (dialog));

  /* Copy (an icon, named for screen readers), clicked: the same Markdown on the clipboard */
  button = find_icon_button (GTK_WIDGET (dialog), NULL, "disclosure.copy");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "edit-copy-symbolic");
  if (!test_ui_click (button))
    return;
  copied = clipboard_text (GTK_WIDGET (dialog));
  g_assert_cmpstr (copied, ==, markdown);

  /* a folder that is a file: said in the dialog, nothing written, the dialog stays */
  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  bad_file = g_file_new_for_path (unwritable);
  loom_disclosure_dialog_export_to (dialog, bad_file);
  g_assert_nonnull (loom_disclosure_dialog_get_error (dialog));
  g_assert_true (g_str_has_prefix (loom_disclosure_dialog_get_error (dialog),
                                   "The report was not saved to “"));
  g_assert_nonnull (strstr (loom_disclosure_dialog_get_error (dialog), "choose another folder"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));

  /* Escape would first take away the toast of the copy (libadwaita's way): the writer
   * clicks the window's close button instead (Escape is pressed in follows-changes) */
  button = find_icon_button (GTK_WIDGET (dialog), "close", NULL);
  g_assert_nonnull (button);
  if (!test_ui_click (button))
    return;
  test_spin_until (dialog_gone, NULL, "the close button to close the dialog");
  g_unlink (blocker);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return test_ui_find_label (wait->root, wait->text) != NULL;
}

/* An empty story says so instead of a chart; prose written by another program while the
 * dialog is open shows there as unknown, with no chart while no word came from the AI; a
 * generation finishing then brings the chart, and a chapter renamed shows its new title. The
 * dialog is opened from the main menu. */
static void
test_follows_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) other = NULL;
  LoomDisclosureDialog *dialog;
  LoomScene *elsewhere;
  LoomDisclosureChart *chart;

  present (fixture);
  dialog = open_from_menu (fixture->window->primary_button, "AI Disclosure");
  if (dialog == NULL)
    return;
  chart = loom_disclosure_dialog_get_chart (dialog);
  test_spin_until (test_ui_mapped, test_ui_find_label (GTK_WIDGET (dialog), "No Words Yet"),
                   "the empty story's page");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (chart)));

  /* another program writes the shore scene; the window catches up within two seconds */
  other = loom_store_open (fixture->path, &error);
  g_assert_no_error (error);
  elsewhere = loom_store_lookup_scene (other, loom_scene_get_id (fixture->scenes[3]));
  g_assert_nonnull (elsewhere);
  g_assert_true (loom_scene_set_prose (elsewhere, "Nobody knows who wrote this.", &error));
  g_assert_no_error (error);
  wait_for_figure (dialog, "unknown", "5 words · 100 %");
  g_assert_true (gtk_widget_get_mapped (
                   test_ui_find_label (GTK_WIDGET (dialog),
                                       "No word of this story came from the AI.")));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  loom_store_close (other);

  /* a generation ends in the first scene */
  test_generate_priced (fixture->store, fixture->scenes[0], "m/one", "One two three four.",
                        0.25);
  wait_for_figure (dialog, "kept", "4 words · 44 %");
  wait_for_figure (dialog, "cost", "$0.2500");
  test_spin_until (test_ui_allocated, chart, "the chart, now that the AI wrote words");
  g_assert_null (test_ui_find_label (GTK_WIDGET (dialog),
                                     "No word of this story came from the AI."));
  g_assert_cmpstr (loom_disclosure_dialog_get_figure (dialog, "model 1"), ==,
                   "1 request · 4 generated words in the text · $0.2500");

  g_assert_true (loom_chapter_set_title (fixture->chapters[0], "Leaving", &error));
  g_assert_no_error (error);
  test_spin_until (label_shown, &(LabelWait) { GTK_WIDGET (dialog), "1. Leaving" },
                   "the renamed chapter's row");

  if (!test_ui_press (GTK_WINDOW (dialog), "Escape"))
    return;
  test_spin_until (dialog_gone, NULL, "Escape to close the dialog");
}

static void
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* While a draft streams the report is not read again (a million words take tens of
 * milliseconds of the main thread each time); the draft's end brings every change at once. */
static void
test_waits_for_drafts (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "One two three.",
                            .prompt_tokens = 10, .completion_tokens = 10, .cost = 0.25,
                            .model = "m/one", .status = LOOM_SCENE_STATUS_DRAFT };
  LoomDisclosureDialog *dialog;
  GtkWidget *empty;
  gboolean waited = FALSE;
  gint64 id;

  present (fixture);
  dialog = open_from_menu (fixture->window->primary_button, "AI Disclosure");
  if (dialog == NULL)
    return;
  test_spin_until (test_ui_mapped, test_ui_find_label (GTK_WIDGET (dialog), "No Words Yet"),
                   "the empty story's page");

  id = loom_store_begin_generation (fixture->store, fixture->scenes[0], "m/one", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loom_scene_set_prose (fixture->scenes[3], "Nobody knows who wrote this.",
                                       &error));
  g_assert_no_error (error);
  g_timeout_add_once (3 * LOOM_STORY_WATCH_SETTLE_MS, set_flag, &waited);
  test_spin_until (flag_set, &waited, "three settle times");
  empty = test_ui_find_label (GTK_WIDGET (dialog), "No Words Yet");
  g_assert_nonnull (empty);
  g_assert_true (gtk_widget_get_mapped (empty));

  g_assert_true (loom_store_end_generation (fixture->store, fixture->scenes[0], id, &end,
                                            &error));
  g_assert_no_error (error);
  /* 62.5 and 37.5 %, each rounded up on its own, read 101 %: the equal remainders give the
   * point to the earlier kind, and the chart says the same figures */
  wait_for_figure (dialog, "unknown", "5 words · 62 %");
  wait_for_figure (dialog, "kept", "3 words · 38 %");
  g_assert_true (g_str_has_prefix (loom_disclosure_chart_get_description (
                                     loom_disclosure_dialog_get_chart (dialog)),
                                   "Whole story: 8 words, 0 % written by you, 38 % generated "
                                   "and kept unchanged, 0 % generated then edited, 62 % of "
                                   "unknown origin."));
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/disclosure-window"))
    return g_test_run ();

  g_test_add ("/disclosure-window/report-shown-and-exported", Fixture, NULL, fixture_set_up,
              test_report_shown_and_exported, fixture_tear_down);
  g_test_add ("/disclosure-window/follows-changes", Fixture, NULL, fixture_set_up,
              test_follows_changes, fixture_tear_down);
  g_test_add ("/disclosure-window/waits-for-drafts", Fixture, NULL, fixture_set_up,
              test_waits_for_drafts, fixture_tear_down);
  return g_test_run ();
}
