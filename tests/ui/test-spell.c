/* test-spell.c: misspelled words underlined while typing, and their context menu (issue 17)
 *
 * A real LoomApplication's window on a fresh library, the keys typed and the menus opened
 * through the X server with xdotool. Words are checked against the en_US dictionary the test
 * set-up installs (hunspell-en-us); without it the tests skip. The personal dictionary that
 * Add to Dictionary writes is in a folder of the test's own ($XDG_CONFIG_HOME), never the
 * writer's. A computer with no dictionary at all is played by hiding Enchant's (below).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-spell"

#include "config.h"

#include <adwaita.h>
#include <dlfcn.h>
#include <enchant.h>
#include <glib/gstdio.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char            *dir;
  char            *path;
  LoomStore       *store;
  LoomStory       *story;
  LoomScene       *scene;
  LoomWindow      *window;
  LoomSceneEditor *editor;
  GtkTextView     *prose;
  GtkTextView     *outline;
} Fixture;

/* A computer with no spelling dictionary at all. Enchant finds hunspell's in a folder built
 * into it (/usr/share/hunspell), which no environment variable hides, so this program (the
 * checker's code is linked into it from the static core library) answers the checker's three
 * questions to Enchant itself: while no_dictionaries is set there is none, else Enchant's own
 * answer. */
static gboolean no_dictionaries;

static gpointer
real_enchant (const char *name)
{
  gpointer real = dlsym (RTLD_NEXT, name);

  g_assert_nonnull (real);
  return real;
}

EnchantDict *
enchant_broker_request_dict (EnchantBroker    *broker,
                             const char *const tag)
{
  EnchantDict *(*real) (EnchantBroker *, const char *const);

  if (no_dictionaries)
    return NULL;
  *(gpointer *) &real = real_enchant ("enchant_broker_request_dict");
  return real (broker, tag);
}

int
enchant_broker_dict_exists (EnchantBroker    *broker,
                            const char *const tag)
{
  int (*real) (EnchantBroker *, const char *const);

  if (no_dictionaries)
    return 0;
  *(gpointer *) &real = real_enchant ("enchant_broker_dict_exists");
  return real (broker, tag);
}

void
enchant_broker_list_dicts (EnchantBroker         *broker,
                           EnchantDictDescribeFn  fn,
                           void                  *user_data)
{
  void (*real) (EnchantBroker *, EnchantDictDescribeFn, void *);

  if (no_dictionaries)
    return;
  *(gpointer *) &real = real_enchant ("enchant_broker_list_dicts");
  real (broker, fn, user_data);
}

static gboolean
unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
all_checked (gpointer data)
{
  Fixture *f = data;

  return !loom_spell_marks_is_pending (loom_scene_editor_get_spell_marks (f->editor, FALSE)) &&
         !loom_spell_marks_is_pending (loom_scene_editor_get_spell_marks (f->editor, TRUE));
}

static gboolean
dictionary_installed (void)
{
  g_autoptr(LoomSpellChecker) checker = loom_spell_checker_new ();

  if (loom_spell_checker_set_language (checker, "en_US", NULL))
    return TRUE;
  g_test_skip ("No en_US spelling dictionary: install hunspell-en-us");
  return FALSE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *chapter;

  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  f->store = test_library_open ("storyloom-spell-XXXXXX", &f->dir, &f->path);
  f->story = loom_store_create_story (f->store, "Tide", "A crossing.", "", &error);
  g_assert_no_error (error);
  g_assert_true (loom_story_set_spell_language (f->story, "en_US", &error));
  chapter = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "One", &error);
  g_assert_no_error (error);
  f->scene = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, (const char *) data,
                                   &error);
  g_assert_no_error (error);

  /* Tall enough for the whole context menu (the AI's actions are in it too). */
  f->window = LOOM_WINDOW (test_ui_present_window (f->store, 1100, 1000));
  f->editor = _loom_window_get_editor (f->window);
  f->prose = loom_scene_editor_get_prose_view (f->editor);
  f->outline = loom_scene_editor_get_outline_view (f->editor);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->path, g_free);
  test_ui_close_window ((GtkWindow **) &f->window, &f->store, &f->dir);
  no_dictionaries = FALSE;
}

/* The window opens on a computer without any dictionary. */
static void
fixture_set_up_no_dictionaries (Fixture       *f,
                                gconstpointer  data)
{
  no_dictionaries = TRUE;
  fixture_set_up (f, data);
}

static void
show_scene (Fixture    *f,
            const char *prose)
{
  g_autoptr(GError) error = NULL;

  if (prose != NULL)
    {
      g_assert_true (loom_scene_set_prose (f->scene, prose, &error));
      g_assert_no_error (error);
    }
  loom_sidebar_select_item (_loom_window_get_sidebar (f->window), G_OBJECT (f->scene));
  test_spin_until (test_ui_allocated, f->prose, "the prose laid out");
  test_spin_until (all_checked, f, "the spelling checked");
}

/* Whether @word (its first occurrence) is underlined, all of it and nothing more. */
static gboolean
marked (GtkTextView *view,
        const char  *word)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                               "loom-misspelled");
  GtkTextIter start, end, toggle;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, word, 0, &start, &end, NULL));
  if (!gtk_text_iter_starts_tag (&start, tag))
    return FALSE;
  toggle = start;
  gtk_text_iter_forward_to_tag_toggle (&toggle, tag);
  return gtk_text_iter_equal (&toggle, &end);
}

static gboolean
nothing_marked (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                               "loom-misspelled");
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  return !gtk_text_iter_has_tag (&iter, tag) && !gtk_text_iter_forward_to_tag_toggle (&iter, tag);
}

typedef struct
{
  GtkTextView *view;
  const char  *text;
} Wait;

static gboolean
text_is (gpointer data)
{
  Wait *wait = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (wait->view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_str_equal (text, wait->text);
}

static void
wait_for_text (GtkTextView *view,
               const char  *text)
{
  Wait wait = { view, text };

  test_spin_until (text_is, &wait, text);
}

/* Right-clicks the middle of @word with the real pointer. */
static gboolean
right_click_word (GtkTextView *view,
                  const char  *word)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  GdkRectangle first, last;
  int x, y;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, word, 0, &start, &end, NULL));
  gtk_text_iter_backward_char (&end);
  gtk_text_view_get_iter_location (view, &start, &first);
  gtk_text_view_get_iter_location (view, &end, &last);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET,
                                         (first.x + last.x + last.width) / 2,
                                         first.y + first.height / 2, &x, &y);
  return test_ui_click_at (GTK_WIDGET (view), x, y, 3);
}

typedef struct
{
  GtkWidget  *root;
  const char *label;
  GtkWidget  *found;
} Find;

static gboolean
item_shown (gpointer data)
{
  Find *find = data;

  find->found = test_ui_find_label (find->root, find->label);
  return find->found != NULL && gtk_widget_get_width (find->found) > 0;
}

/* Clicks the context menu's item labelled @label, once it is on screen. */
static gboolean
click_menu_item (GtkTextView *view,
                 const char  *label)
{
  Find find = { GTK_WIDGET (view), label, NULL };

  test_spin_until (item_shown, &find, label);
  /* the popover's slide-in has no animation here, but let it lay out where it stays */
  test_ui_settle (find.found);
  item_shown (&find);
  return test_ui_click (find.found);
}

/* Typing: the word being typed is left alone; once the cursor leaves it, it is underlined.
 * A suggestion from the right-click menu replaces it as one step Ctrl+Z takes back. */
static void
test_type_and_replace (Fixture       *f,
                       gconstpointer  data)
{
  if (!dictionary_installed ())
    return;
  show_scene (f, "The tide turned.");
  if (!test_ui_click (GTK_WIDGET (f->prose)))
    return;
  test_spin_until (test_ui_has_focus, f->prose, "the focus in the prose");
  test_ui_press (GTK_WINDOW (f->window), "ctrl+End");
  test_ui_type (GTK_WINDOW (f->window), " A wrod");
  wait_for_text (f->prose, "The tide turned. A wrod");
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_false (marked (f->prose, "wrod"));

  test_ui_type (GTK_WINDOW (f->window), " ");
  wait_for_text (f->prose, "The tide turned. A wrod ");
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (marked (f->prose, "wrod"));
  g_assert_false (marked (f->prose, "tide"));

  if (!right_click_word (f->prose, "wrod") || !click_menu_item (f->prose, "word"))
    return;
  wait_for_text (f->prose, "The tide turned. A word ");
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (nothing_marked (f->prose));

  gtk_widget_grab_focus (GTK_WIDGET (f->prose));
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  wait_for_text (f->prose, "The tide turned. A wrod ");
}

/* Add to Dictionary in the prose, Ignore in the outline: the marks go, and the added word is
 * in the personal dictionary for the next checker. */
static void
test_add_and_ignore (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomSpellChecker) later = NULL;

  if (!dictionary_installed ())
    return;
  show_scene (f, "Quorvath sailed at dawn.");
  g_assert_true (marked (f->prose, "Quorvath"));
  g_assert_true (marked (f->outline, "Teh"));

  if (!right_click_word (f->prose, "Quorvath") ||
      !click_menu_item (f->prose, "Add to Dictionary"))
    return;
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (nothing_marked (f->prose));

  if (!right_click_word (f->outline, "Teh") || !click_menu_item (f->outline, "Ignore"))
    return;
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (nothing_marked (f->outline));

  later = loom_spell_checker_new ();
  g_assert_true (loom_spell_checker_set_language (later, "en_US", NULL));
  g_assert_true (loom_spell_checker_check_word (later, "Quorvath", -1));
  g_assert_false (loom_spell_checker_check_word (later, "Teh", -1));
}

static gboolean
german_installed (void)
{
  g_autoptr(LoomSpellChecker) checker = loom_spell_checker_new ();

  if (loom_spell_checker_set_language (checker, "de_DE", NULL))
    return TRUE;
  g_test_skip ("No de_DE spelling dictionary: install hunspell-de-de (build-aux/test.sh does)");
  return FALSE;
}

typedef struct
{
  LoomStory  *story;
  const char *language;
} LanguageWait;

static gboolean
language_is (gpointer data)
{
  LanguageWait *wait = data;

  return g_strcmp0 (loom_story_get_spell_language (wait->story), wait->language) == 0;
}

/* Right-clicks @word in @view and picks @language in the menu's Spelling Language, with the
 * real pointer; returns once the story has it. */
static gboolean
choose_language (Fixture     *f,
                 GtkTextView *view,
                 const char  *word,
                 const char  *language)
{
  LanguageWait wait = { f->story, language };

  /* The heading may have grown (a notice): the click goes where the word now is. */
  test_ui_settle (GTK_WIDGET (view));
  if (!right_click_word (view, word) || !click_menu_item (view, "Spelling Language") ||
      !click_menu_item (view, language))
    return FALSE;
  test_spin_until (language_is, &wait, language);
  return TRUE;
}

static char *
stored_language (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("SELECT spell_language FROM stories WHERE id = %"
                                          G_GINT64_FORMAT, loom_story_get_id (f->story));

  return test_sql_value (f->path, sql);
}

/* The writer picks German in the prose's context menu, Spelling Language: the story keeps it
 * in the library, and both views are checked again in German. */
static void
test_language_menu (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *stored = NULL;

  if (!dictionary_installed () || !german_installed ())
    return;
  show_scene (f, "Die Straße ist lang.");
  g_assert_true (marked (f->prose, "Straße"));
  g_assert_false (marked (f->outline, "boat"));

  if (!choose_language (f, f->prose, "Die", "de_DE"))
    return;
  stored = stored_language (f);
  g_assert_cmpstr (stored, ==, "de_DE");
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (nothing_marked (f->prose));
  g_assert_true (marked (f->outline, "boat"));
}

/* Turning checking off takes every mark away; on again, they come back. */
static void
test_switch (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  if (!dictionary_installed ())
    return;
  show_scene (f, "Teh tide turned.");
  g_assert_true (marked (f->prose, "Teh"));
  g_assert_true (marked (f->outline, "Teh"));

  g_settings_set_boolean (settings, "spell-check", FALSE);
  g_assert_true (nothing_marked (f->prose));
  g_assert_true (nothing_marked (f->outline));
  g_settings_set_boolean (settings, "spell-check", TRUE);
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (marked (f->prose, "Teh"));
  g_assert_true (marked (f->outline, "Teh"));
}

typedef struct
{
  LoomSceneEditor *editor;
  char            *text;
  GtkWidget       *label;
} Notice;

/* What the heading says of a missing dictionary: @wanted's, words checked in the default. */
static void
notice_init (Notice      *notice,
             Fixture     *f,
             const char  *wanted)
{
  g_autoptr(LoomSpellChecker) checker = loom_spell_checker_new ();

  notice->editor = f->editor;
  notice->text = loom_spell_missing_dictionary_text (wanted,
                                                     loom_spell_checker_get_language (checker));
  notice->label = NULL;
}

static gboolean
notice_shown (gpointer data)
{
  Notice *notice = data;

  notice->label = test_ui_find_label (GTK_WIDGET (notice->editor), notice->text);
  return notice->label != NULL && gtk_widget_get_width (notice->label) > 0;
}

static gboolean
notice_gone (gpointer data)
{
  return !notice_shown (data);
}

typedef struct
{
  GtkWidget *box;
  gboolean   shown;
} AlertWait;

static gboolean
alert_shown_is (gpointer data)
{
  AlertWait *wait = data;
  g_autofree char *differs = gtk_test_accessible_check_state (GTK_ACCESSIBLE (wait->box),
                                                              GTK_ACCESSIBLE_STATE_HIDDEN,
                                                              !wait->shown);

  return differs == NULL;
}

/* The alert a screen reader says when the notice shows: its role and name; shown to it (as
 * AT-SPI's "showing") or not. */
static void
assert_alert (GtkWidget  *box,
              const char *text,
              gboolean    shown)
{
  AlertWait wait = { box, shown };

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (box)), ==,
                   GTK_ACCESSIBLE_ROLE_ALERT);
  gtk_test_accessible_assert_property (box, GTK_ACCESSIBLE_PROPERTY_LABEL, text);
  test_spin_until (alert_shown_is, &wait, shown ? "the alert shown" : "the alert hidden");
}

/* The story's language has no dictionary here (the library came from another computer): the
 * heading says so, with what to do; closed, it stays closed; another missing language says
 * so again; choosing an installed one in the context menu, as the notice advises, ends it. */
static void
test_missing_dictionary (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  Notice first, second;

  if (!dictionary_installed ())
    return;
  g_assert_true (loom_story_set_spell_language (f->story, "xx_XX", &error));
  g_assert_no_error (error);
  notice_init (&first, f, "xx_XX");
  g_assert_nonnull (strstr (first.text, "“xx_XX”"));
  g_assert_nonnull (strstr (first.text, "hunspell-xx-xx"));
  g_assert_nonnull (strstr (first.text, "Spelling Language"));
  show_scene (f, "Teh tide turned.");
  test_spin_until (notice_shown, &first, "the missing dictionary said");
  test_maybe_pause ();
  assert_alert (gtk_widget_get_parent (first.label), first.text, TRUE);
  /* Checked all the same, in the default language. */
  g_assert_true (marked (f->prose, "Teh"));

  test_ui_settle (first.label);
  if (!test_ui_click (gtk_widget_get_next_sibling (first.label)))
    return;
  test_spin_until (notice_gone, &first, "the notice closed");
  test_spin_until (test_ui_has_focus, f->prose, "the keyboard back in the prose");
  /* Said once: the same scene shown again does not bring it back. */
  loom_sidebar_select_item (_loom_window_get_sidebar (f->window),
                            G_OBJECT (loom_scene_get_chapter (f->scene)));
  test_spin_until (unmapped, f->prose, "the chapter shown instead of the scene");
  show_scene (f, NULL);
  g_assert_false (notice_shown (&first));

  /* Checking off, nothing is said; on, another missing language is. */
  g_settings_set_boolean (settings, "spell-check", FALSE);
  g_assert_true (loom_story_set_spell_language (f->story, "yy_YY", &error));
  g_assert_no_error (error);
  notice_init (&second, f, "yy_YY");
  g_assert_false (notice_shown (&second));
  g_settings_set_boolean (settings, "spell-check", TRUE);
  test_spin_until (notice_shown, &second, "the other missing dictionary said");

  if (!choose_language (f, f->prose, "tide", "en_US"))
    goto out;
  stored = stored_language (f);
  g_assert_cmpstr (stored, ==, "en_US");
  test_spin_until (notice_gone, &second, "the notice gone with an installed language");

out:
  g_free (first.text);
  g_free (second.text);
}

/* Right-clicks @word in the prose with the real pointer and waits for Check Spelling. */
static gboolean
open_spell_menu (Fixture    *f,
                 const char *word)
{
  Find find = { GTK_WIDGET (f->prose), "Check Spelling", NULL };

  test_ui_settle (GTK_WIDGET (f->prose));
  if (!right_click_word (f->prose, word))
    return FALSE;
  test_spin_until (item_shown, &find, "the context menu's Check Spelling");
  return TRUE;
}

static gboolean
checking_is (gpointer data)
{
  GSettings *settings = data;

  return g_settings_get_boolean (settings, "spell-check") ==
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (settings), "test-expected"));
}

static void
wait_for_checking (GSettings *settings,
                   gboolean   checking)
{
  g_object_set_data (G_OBJECT (settings), "test-expected", GINT_TO_POINTER (checking));
  test_spin_until (checking_is, settings, checking ? "checking on" : "checking off");
}

/* No dictionary is installed at all: the editor opens and edits as ever, no word is
 * underlined, and the heading says so, with a package to install; screen readers hear it, an
 * alert named by its sentence. Check Spelling, the context menu's one spelling item (there is
 * no language to choose), still turns checking off and on: off, the notice goes, as the writer
 * said they want no spelling; on, it comes back. Dismiss closes it. */
static void
test_no_dictionary (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *box, *dismiss;
  Notice notice;

  g_assert_true (g_settings_get_boolean (settings, "spell-check"));
  notice_init (&notice, f, "en_US");
  g_assert_nonnull (strstr (notice.text, "no word is checked"));
  g_assert_nonnull (strstr (notice.text, "hunspell-en-us"));
  show_scene (f, "Teh tide turned.");
  test_spin_until (notice_shown, &notice, "the missing dictionaries said");
  test_maybe_pause ();
  g_assert_true (nothing_marked (f->prose));
  g_assert_true (nothing_marked (f->outline));
  box = gtk_widget_get_parent (notice.label);
  assert_alert (box, notice.text, TRUE);
  dismiss = gtk_widget_get_next_sibling (notice.label);
  g_assert_true (GTK_IS_BUTTON (dismiss));
  gtk_test_accessible_assert_property (dismiss, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Dismiss the Spelling Notice");

  /* The writer types; the words are kept and none is underlined. */
  if (!test_ui_click (GTK_WIDGET (f->prose)))
    goto out;
  test_spin_until (test_ui_has_focus, f->prose, "the focus in the prose");
  test_ui_press (GTK_WINDOW (f->window), "ctrl+End");
  test_ui_type (GTK_WINDOW (f->window), " A wrod here.");
  wait_for_text (f->prose, "Teh tide turned. A wrod here.");
  test_spin_until (all_checked, f, "the spelling checked");
  g_assert_true (nothing_marked (f->prose));

  /* Check Spelling, clicked: off, and the notice goes; no Spelling Language to choose. */
  if (!open_spell_menu (f, "tide"))
    goto out;
  g_assert_null (test_ui_find_label (GTK_WIDGET (f->prose), "Spelling Language"));
  if (!click_menu_item (f->prose, "Check Spelling"))
    goto out;
  wait_for_checking (settings, FALSE);
  test_spin_until (notice_gone, &notice, "the notice gone with checking off");
  g_assert_true (nothing_marked (f->prose));

  /* Clicked again: on, and the notice is said again, as nothing is checked still. */
  if (!open_spell_menu (f, "tide") || !click_menu_item (f->prose, "Check Spelling"))
    goto out;
  wait_for_checking (settings, TRUE);
  test_spin_until (notice_shown, &notice, "the notice back with checking on");
  assert_alert (box, notice.text, TRUE);

  /* Dismissed: gone, and no longer shown to screen readers either. */
  test_ui_settle (notice.label);
  if (!test_ui_click (gtk_widget_get_next_sibling (notice.label)))
    goto out;
  test_spin_until (notice_gone, &notice, "the notice closed");
  test_spin_until (test_ui_has_focus, f->prose, "the keyboard back in the prose");
  assert_alert (box, notice.text, FALSE);
  g_assert_true (nothing_marked (f->prose));

out:
  g_settings_set_boolean (settings, "spell-check", TRUE);
  g_free (notice.text);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config = g_dir_make_tmp ("storyloom-spell-config-XXXXXX", NULL);
  int status;

  /* Before anything reads it: Add to Dictionary writes there. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("ENCHANT_CONFIG_DIR", config, TRUE);
  if (!test_ui_init (&argc, &argv, "/spell"))
    return g_test_run ();

  g_test_add ("/spell/type-and-replace", Fixture, "The boat leaves.", fixture_set_up,
              test_type_and_replace, fixture_tear_down);
  g_test_add ("/spell/add-and-ignore", Fixture, "Teh boat leaves.", fixture_set_up,
              test_add_and_ignore, fixture_tear_down);
  g_test_add ("/spell/language-menu", Fixture, "The boat leaves.", fixture_set_up,
              test_language_menu, fixture_tear_down);
  g_test_add ("/spell/switch", Fixture, "Teh boat leaves.", fixture_set_up, test_switch,
              fixture_tear_down);
  g_test_add ("/spell/missing-dictionary", Fixture, "The boat leaves.", fixture_set_up,
              test_missing_dictionary, fixture_tear_down);
  g_test_add ("/spell/no-dictionary", Fixture, "The boat leaves.",
              fixture_set_up_no_dictionaries, test_no_dictionary, fixture_tear_down);
  status = g_test_run ();
  test_remove_tree (config);
  return status;
}
