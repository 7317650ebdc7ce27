/* loom-window-search.c: search and replace across the open story in the window (issue 17)
 *
 * Ctrl+Shift+F shows the search pane in the sidebar's place (folded, on the sidebar's page),
 * with the prose's selection as the query when there is a short one. Choosing a match opens
 * its scene with the match selected in the outline or the prose. Replace All asks first,
 * naming how many matches in how many scenes, saves what the editors hold, replaces in one
 * transaction (each changed scene keeps its prose as a revision) and is one step of the
 * window's undo history. Escape gives the sidebar back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window-search"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-generation-util.h"
#include "loom-scene.h"
#include "loom-window-private.h"

/* A selection longer than this, or over several lines, is not taken for a query. */
#define MAX_QUERY_CHARS 100

gboolean
_loom_window_search_shown (LoomWindow *self)
{
  return gtk_stack_get_visible_child (self->left_stack) == GTK_WIDGET (self->search_pane);
}

/* The sidebar, or the search pane in its place. */
GtkWidget *
_loom_window_get_left_pane (LoomWindow *self)
{
  return gtk_stack_get_visible_child (self->left_stack);
}

/* The prose's selection, when it is short and on one line: what the writer wants to find. */
static char *
selected_query (LoomWindow *self)
{
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (self->editor);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (loom_scene_editor_get_scene (self->editor) == NULL ||
      !gtk_text_buffer_get_selection_bounds (buffer, &start, &end) ||
      gtk_text_iter_get_offset (&end) - gtk_text_iter_get_offset (&start) > MAX_QUERY_CHARS)
    return NULL;
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (strchr (text, '\n') != NULL)
    return NULL;
  return g_steal_pointer (&text);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  g_autofree char *query = NULL;

  if (self->story == NULL)
    return;
  query = selected_query (self);
  /* Focus mode hides the pane's place: searching leaves it. */
  if (self->focus_mode)
    g_object_set (self, "focus-mode", FALSE, NULL);
  gtk_stack_set_visible_child (self->left_stack, GTK_WIDGET (self->search_pane));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  loom_search_pane_focus_query (self->search_pane, query);
}

/* The sidebar comes back; the keyboard goes back to the text, or to the sidebar when the text
 * is not on screen. */
static void
on_close (LoomWindow *self)
{
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (self->editor));

  gtk_stack_set_visible_child (self->left_stack, GTK_WIDGET (self->sidebar));
  if (!adw_leaflet_get_folded (self->leaflet) && gtk_widget_get_mapped (prose))
    gtk_widget_grab_focus (prose);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->sidebar));
}

static void
on_prepare (LoomWindow *self)
{
  loom_window_save (self);
}

static void
on_match_activated (LoomWindow *self,
                    gint64      scene_id,
                    guint       field,
                    guint64     start,
                    guint64     length)
{
  LoomScene *scene = loom_store_lookup_scene (self->store, scene_id);

  if (scene == NULL || loom_scene_get_story (scene) != self->story)
    {
      _loom_window_add_message_toast (self, _("That scene has been deleted since the search, "
                                              "perhaps in another window."), 0);
      loom_search_pane_refresh (self->search_pane);
      return;
    }
  loom_sidebar_select_item (self->sidebar, G_OBJECT (scene));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
  loom_scene_editor_select_text (self->editor, field == LOOM_SEARCH_FIELD_OUTLINE, start, length);
}

/* ------------------------------------------------------------------------------------------ */
/* Replace All                                                                                */

typedef struct
{
  LoomWindow      *window;
  char            *query;
  char            *replacement;
  LoomSearchFlags  flags;
} ReplaceRequest;

static void
replace_request_free (ReplaceRequest *request)
{
  g_object_unref (request->window);
  g_free (request->query);
  g_free (request->replacement);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReplaceRequest, replace_request_free)

static void
replace_request_notify (gpointer  data,
                        GClosure *closure)
{
  replace_request_free (data);
}

static void
say_replaced (LoomWindow *self,
              GArray     *replacements)
{
  g_autofree char *matches = NULL;
  g_autofree char *text = NULL;
  guint n_replaced = 0;

  for (guint i = 0; i < replacements->len; i++)
    n_replaced += g_array_index (replacements, LoomReplacement, i).n_replaced;
  matches = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replaced %'u match",
                                          "Replaced %'u matches", n_replaced), n_replaced);
  /* Translators: the first %s is "Replaced %u match(es)" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u scene. Ctrl+Z puts it back.",
                                       "%s in %u scenes. Ctrl+Z puts them back.",
                                       replacements->len), matches, replacements->len);
  _loom_window_add_message_toast (self, text, 0);
}

static void
replace_all (ReplaceRequest *request)
{
  LoomWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) replacements = NULL;

  if (self->store == NULL || self->story == NULL)
    return;
  /* Nothing typed in the last second is lost: it is saved, then replaced as the rest is. */
  loom_window_save (self);
  replacements = loom_store_replace_all (self->store, self->story, request->query,
                                         request->replacement, request->flags, &error);
  if (replacements == NULL)
    loom_window_show_error (self, error);
  else if (replacements->len == 0)
    _loom_window_add_message_toast (self, _("Nothing was replaced: the prose changed since, "
                                            "and no longer holds the text."), 0);
  else
    {
      _loom_window_record_replaced (self, replacements);
      say_replaced (self, replacements);
    }
  loom_search_pane_refresh (self->search_pane);
}

/* The request goes with the dialog, answered or not (a window closed under it). */
static void
on_replace_response (AdwMessageDialog *dialog,
                     const char       *response,
                     ReplaceRequest   *request)
{
  if (g_str_equal (response, "replace"))
    replace_all (request);
}

static char *
replace_body (const ReplaceRequest   *request,
              const LoomSearchCounts *counts)
{
  guint n = counts->n_prose_scenes;
  g_autofree char *what = NULL;
  const char *outlines = counts->n_matches > counts->n_prose_matches
                           ? _(" Outlines are left as they are.") : "";

  if (*request->replacement == '\0')
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” is deleted from the prose of %u scene.",
                                         "“%s” is deleted from the prose of %u scenes.", n),
                            request->query, n);
  else
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” becomes “%s” in the prose of %u scene.",
                                         "“%s” becomes “%s” in the prose of %u scenes.", n),
                            request->query, request->replacement, n);
  /* Translators: %s is the sentence before; the one after can lead with a space */
  return g_strdup_printf (_("%s Each scene's prose is kept in its History first, and Ctrl+Z "
                            "puts everything back.%s"), what, outlines);
}

static void
on_replace_all (LoomWindow *self)
{
  g_autoptr(ReplaceRequest) request = g_new0 (ReplaceRequest, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;
  g_autofree char *body = NULL;
  LoomSearchCounts counts;
  AdwMessageDialog *dialog;

  if (self->store == NULL || self->story == NULL)
    return;
  request->window = g_object_ref (self);
  request->query = g_strdup (loom_search_pane_get_query (self->search_pane));
  request->replacement = g_strdup (loom_search_pane_get_replacement (self->search_pane));
  request->flags = loom_search_pane_get_flags (self->search_pane);

  loom_window_save (self);
  matches = loom_store_search_counted (self->store, self->story, request->query,
                                       request->flags, 1, &counts, &error);
  if (matches == NULL)
    {
      loom_window_show_error (self, error);
      return;
    }
  if (counts.n_prose_matches == 0)
    {
      _loom_window_add_message_toast (self, counts.n_matches > 0
                                              ? _("Nothing to replace: the matches are all in "
                                                  "outlines, and Replace All changes the prose.")
                                              : _("Nothing to replace: no scene holds the text."),
                                      0);
      return;
    }

  body = replace_body (request, &counts);
  dialog = loom_ui_question_new (GTK_WINDOW (self), NULL, body, NULL, "replace", _("_Replace All"),
                                 ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_format_heading (dialog, g_dngettext (GETTEXT_PACKAGE, "Replace %'u Match?",
                                                          "Replace %'u Matches?",
                                                          counts.n_prose_matches),
                                     counts.n_prose_matches);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_replace_response),
                         g_steal_pointer (&request), replace_request_notify, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */

void
_loom_window_search_init (LoomWindow *self)
{
  g_signal_connect_object (self->search_pane, "prepare", G_CALLBACK (on_prepare), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_pane, "match-activated", G_CALLBACK (on_match_activated),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_pane, "replace-all", G_CALLBACK (on_replace_all), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_pane, "close", G_CALLBACK (on_close), self,
                           G_CONNECT_SWAPPED);
}

void
_loom_window_class_search_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  /* The same key without an application (the tests), as the window's other keys. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search", NULL);
}
