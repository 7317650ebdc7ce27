/* test-translation.c: the window speaks German under LANGUAGE=de (issue 14)
 *
 * The window opens as Storyloom opens it, its translations bound the way main () binds them but
 * from the build's po directory, with LANGUAGE=de: the welcome page, the header's tooltips, the
 * menus (GtkBuilder's side) and a word count (the C side, with German plural forms) must be
 * German. If the catalogue is not built, not bound, or not used by the templates, the English
 * text shows and the test fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-translation"

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "loom-application.h"
#include "loom-chapter.h"
#include "loom-sample.h"
#include "loom-scene.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char       *dir;
  LoomStore  *store;
  LoomWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->store = test_library_open ("storyloom-translation-XXXXXX", &fixture->dir, &path);

  fixture->window = g_object_ref_sink (loom_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  test_spin_until (test_ui_mapped, fixture->window, "the window to be shown");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

/* The labels of MENU's items, sections included, in order. */
static void
collect_labels (GMenuModel *menu,
                GPtrArray  *labels)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (menu, i);
      char *label = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_ptr_array_add (labels, label);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          collect_labels (link, labels);
        }
    }
}

static void
assert_menu_has (GtkMenuButton *button,
                 const char    *label)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  collect_labels (gtk_menu_button_get_menu_model (button), labels);
  g_ptr_array_add (labels, NULL);
  if (!g_strv_contains ((const char *const *) labels->pdata, label))
    {
      g_autofree char *all = g_strjoinv (", ", (char **) labels->pdata);

      g_error ("The menu has no “%s”: %s", label, all);
    }
}

/* Whether WIDGET or a widget inside it has TOOLTIP. */
static gboolean
has_tooltip (GtkWidget  *widget,
             const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_tooltip (child, tooltip))
      return TRUE;
  return FALSE;
}

static gboolean
row_mapped (gpointer data)
{
  return data != NULL && gtk_widget_get_mapped (data);
}

static void
test_german (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story;  /* the store's */
  GtkWidget *page;
  LoomChapter *chapter;
  LoomScene *scene;
  GtkWidget *row;
  g_autofree char *words = NULL;

  /* The welcome page of an empty library, from the window's template. */
  page = gtk_stack_get_visible_child (fixture->window->main_stack);
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==,
                   "Willkommen bei Storyloom");

  /* The header and its menus. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->window->add_scene_button)),
                   ==, "Szene hinzufügen (Strg+Umschalt+N)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (fixture->window->primary_button)),
                   ==, "Hauptmenü");
  assert_menu_has (fixture->window->primary_button, "_Einstellungen");
  assert_menu_has (fixture->window->primary_button, "_Tastenkürzel");
  assert_menu_has (fixture->window->story_button, "_Neue Geschichte …");
  assert_menu_has (fixture->window->story_button, "_Beispielgeschichte öffnen");

  /* A word count from C, with German plurals: the sample's first scene has 190 words. */
  story = loom_sample_load (fixture->store, &error);
  g_assert_no_error (error);
  loom_window_set_story (fixture->window, story);
  chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
  g_object_unref (chapter);
  scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);
  g_object_unref (scene);
  row = GTK_WIDGET (loom_sidebar_find_row (fixture->window->sidebar, G_OBJECT (scene)));
  test_spin_until (row_mapped, row, "the first scene's row");
  words = g_strdup_printf ("%u Wörter", loom_scene_get_word_count (scene));
  g_assert_cmpuint (loom_scene_get_word_count (scene), >, 1);
  g_assert_true (has_tooltip (row, words));
}

int
main (int   argc,
      char *argv[])
{
  const char *locale = NULL;

  /* LANGUAGE counts only outside the C locale; GTK sets the locale from LC_ALL when it starts. */
  if (setlocale (LC_ALL, "de_DE.UTF-8") != NULL)
    locale = "de_DE.UTF-8";
  else if (setlocale (LC_ALL, "C.UTF-8") != NULL)
    locale = "C.UTF-8";
  if (locale != NULL)
    g_setenv ("LC_ALL", locale, TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);

  if (!test_ui_init (&argc, &argv, "/ui/translation"))
    return g_test_run ();
  if (locale == NULL)
    {
      g_test_skip ("Neither de_DE.UTF-8 nor C.UTF-8 is available");
      return g_test_run ();
    }

  /* The build's catalogue, po/de/LC_MESSAGES/storyloom.mo in the build folder. */
  loom_application_bind_translations (TEST_LOCALEDIR);

  g_test_add ("/ui/translation/german", Fixture, NULL, fixture_set_up, test_german,
              fixture_tear_down);
  return g_test_run ();
}
