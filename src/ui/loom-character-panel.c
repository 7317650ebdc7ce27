/* loom-character-panel.c: the story bible: its characters, places, objects, groups and lore
 *
 * A GtkListBox per kind, each bound to the story's characters or entries of that kind through
 * a filter (the filter field's text, in any case): rows come and go with the model (an add, a
 * delete, an undo), a section without rows hides, and an empty bible shows what it is for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-character-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "loom-character-panel.h"
#include "loom-entry.h"
#include "loom-generation-util.h"
#include "loom-store-editor.h"

/* The panel's sections, in order: the characters, then each kind of entry. */
#define N_SECTIONS (1 + LOOM_ENTRY_N_KINDS)

typedef struct
{
  GtkWidget          *heading;
  GtkListBox         *list;
  GtkFilterListModel *model;    /* owned: the section's items that pass the filter */
} Section;

struct _LoomCharacterPanel
{
  GtkWidget       parent_instance;

  /* template children */
  GtkStack       *stack;
  GtkBox         *sections_box;
  GtkSearchEntry *filter_entry;
  GtkMenuButton  *add_button;
  GtkMenuButton  *empty_add_button;

  /* owned */
  LoomStory      *story;
  Section         sections[N_SECTIONS];
  GtkFilter      *text_filter;  /* what the filter field asks for */
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomCharacterPanel, loom_character_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

enum {
  PROP_0,
  PROP_STORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_row_store_error (LoomCharacterPanel *self,
                    const GError       *error)
{
  loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
}

static void
on_row_edited (LoomCharacterPanel *self,
               GObject            *item,
               const char         *property,
               const char         *before)
{
  loom_store_editor_emit_edited (LOOM_STORE_EDITOR (self), G_OBJECT (item), property, before);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  LoomCharacterPanel *self = user_data;
  GtkWidget *row = loom_character_row_new (item);

  g_signal_connect_object (row, "store-error", G_CALLBACK (on_row_store_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "edited", G_CALLBACK (on_row_edited), self, G_CONNECT_SWAPPED);
  return row;
}

static gboolean
story_is_empty (LoomStory *story)
{
  return story == NULL ||
         (g_list_model_get_n_items (loom_story_get_characters (story)) == 0 &&
          g_list_model_get_n_items (loom_story_get_entries (story)) == 0);
}

/* A section shows when it has something to show; the whole bible empty shows what it is for. */
static void
update_page (LoomCharacterPanel *self)
{
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *section = &self->sections[i];
      gboolean shown = section->model != NULL &&
                       g_list_model_get_n_items (G_LIST_MODEL (section->model)) > 0;

      gtk_widget_set_visible (section->heading, shown);
      gtk_widget_set_visible (GTK_WIDGET (section->list), shown);
    }
  gtk_stack_set_visible_child_name (self->stack, story_is_empty (self->story) ? "empty" : "list");
}

static gboolean
contains_folded (const char *text,
                 const char *folded_query)
{
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, folded_query) != NULL;
}

/* Whether @item's name, aliases or texts hold what the filter field asks for, in any case. */
static gboolean
matches_filter (gpointer item,
                gpointer user_data)
{
  LoomCharacterPanel *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  static const char *const character_texts[] = { "name", "aliases", "traits", "backstory" };
  static const char *const entry_texts[] = { "name", "aliases", "description" };
  const char *const *texts = LOOM_IS_CHARACTER (item) ? character_texts : entry_texts;
  guint n = LOOM_IS_CHARACTER (item) ? G_N_ELEMENTS (character_texts)
                                     : G_N_ELEMENTS (entry_texts);
  g_autofree char *folded_query = NULL;

  if (query == NULL)
    return TRUE;
  folded_query = g_utf8_casefold (query, -1);
  if (*g_strstrip (folded_query) == '\0')
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;

      g_object_get (item, texts[i], &text, NULL);
      if (contains_folded (text, folded_query))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_of_kind (gpointer item,
            gpointer user_data)
{
  return loom_entry_get_kind (LOOM_ENTRY (item)) == (LoomEntryKind) GPOINTER_TO_UINT (user_data);
}

/* The items of section @i that pass the filter: characters, or the entries of one kind. */
static GtkFilterListModel *
section_model (LoomCharacterPanel *self,
               LoomStory          *story,
               guint               i)
{
  GtkEveryFilter *every = gtk_every_filter_new ();
  GListModel *items;

  if (i == 0)
    items = g_object_ref (loom_story_get_characters (story));
  else
    {
      items = g_object_ref (loom_story_get_entries (story));
      gtk_multi_filter_append (GTK_MULTI_FILTER (every),
                               GTK_FILTER (gtk_custom_filter_new (is_of_kind,
                                                                  GUINT_TO_POINTER (i - 1),
                                                                  NULL)));
    }
  gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (self->text_filter));
  return gtk_filter_list_model_new (items, GTK_FILTER (every));
}

static void
unbind_sections (LoomCharacterPanel *self)
{
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *section = &self->sections[i];

      if (section->model != NULL)
        g_signal_handlers_disconnect_by_func (section->model, update_page, self);
      gtk_list_box_bind_model (section->list, NULL, NULL, NULL, NULL);
      g_clear_object (&section->model);
    }
}

static void
on_entry_kind_changed (LoomCharacterPanel *self)
{
  /* an entry moved to another section */
  for (guint i = 1; i < N_SECTIONS; i++)
    if (self->sections[i].model != NULL)
      gtk_filter_changed (gtk_filter_list_model_get_filter (self->sections[i].model),
                          GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_entries_changed (LoomCharacterPanel *self,
                    guint               position,
                    guint               removed,
                    guint               added,
                    GListModel         *entries)
{
  loom_ui_connect_items (entries, position, added, "notify::kind",
                         G_CALLBACK (on_entry_kind_changed), self);
  update_page (self);
}

LoomStory *
loom_character_panel_get_story (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);
  return self->story;
}

void
loom_character_panel_set_story (LoomCharacterPanel *self,
                                LoomStory          *story)
{
  GListModel *entries;

  g_return_if_fail (LOOM_IS_CHARACTER_PANEL (self));

  if (self->story == story)
    return;

  loom_character_panel_save (self);
  unbind_sections (self);
  if (self->story != NULL)
    g_signal_handlers_disconnect_by_func (loom_story_get_entries (self->story),
                                          on_entries_changed, self);
  g_set_object (&self->story, story);

  if (story != NULL)
    {
      for (guint i = 0; i < N_SECTIONS; i++)
        {
          Section *section = &self->sections[i];

          section->model = section_model (self, story, i);
          gtk_list_box_bind_model (section->list, G_LIST_MODEL (section->model), create_row,
                                   self, NULL);
          g_signal_connect_object (section->model, "items-changed", G_CALLBACK (update_page),
                                   self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
        }
      entries = loom_story_get_entries (story);
      g_signal_connect_object (entries, "items-changed", G_CALLBACK (on_entries_changed), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      on_entries_changed (self, 0, 0, g_list_model_get_n_items (entries), entries);
      /* characters coming or going change whether the bible is empty */
      g_signal_connect_object (loom_story_get_characters (story), "items-changed",
                               G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }

  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORY]);
}

gboolean
loom_character_panel_save (LoomCharacterPanel *self)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), FALSE);

  for (guint i = 0; i < N_SECTIONS; i++)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sections[i].list));
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        if (LOOM_IS_CHARACTER_ROW (child))
          ok &= loom_character_row_save (LOOM_CHARACTER_ROW (child));
      }
  return ok;
}

/**
 * loom_character_panel_find_row:
 * @item: a #LoomCharacter or a #LoomEntry
 *
 * Returns: (transfer none) (nullable): its row, if the filter shows it
 */
LoomCharacterRow *
loom_character_panel_find_row (LoomCharacterPanel *self,
                               gpointer            item)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);

  for (guint i = 0; i < N_SECTIONS; i++)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sections[i].list));
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        if (LOOM_IS_CHARACTER_ROW (child) &&
            loom_character_row_get_item (LOOM_CHARACTER_ROW (child)) == item)
          return LOOM_CHARACTER_ROW (child);
      }
  return NULL;
}

/* Opens the item's row and puts the cursor in its name, clearing a filter that hides it. */
void
loom_character_panel_reveal (LoomCharacterPanel *self,
                             gpointer            item)
{
  LoomCharacterRow *row = loom_character_panel_find_row (self, item);

  if (row == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
      gtk_filter_changed (self->text_filter, GTK_FILTER_CHANGE_LESS_STRICT);
      row = loom_character_panel_find_row (self, item);
    }
  if (row != NULL)
    loom_character_row_focus_name (row);
}

gboolean
loom_character_panel_is_empty_shown (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}

GtkEditable *
loom_character_panel_get_filter (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);
  return GTK_EDITABLE (self->filter_entry);
}

GtkMenuButton *
loom_character_panel_get_add_button (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);
  return self->add_button;
}

/* The empty bible's own Add, which offers every kind as the header's does. */
GtkMenuButton *
loom_character_panel_get_empty_add_button (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);
  return self->empty_add_button;
}

static void
on_filter_changed (LoomCharacterPanel *self)
{
  gtk_filter_changed (self->text_filter, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
add_sections (LoomCharacterPanel *self)
{
  const char *const headings[N_SECTIONS] = {
    _("Characters"), _("Places"), _("Objects"), _("Groups"), _("Lore"),
  };

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *section = &self->sections[i];

      section->heading = gtk_label_new (headings[i]);
      gtk_label_set_xalign (GTK_LABEL (section->heading), 0);
      gtk_widget_set_margin_top (section->heading, 12);
      gtk_widget_set_margin_bottom (section->heading, 6);
      gtk_widget_set_margin_start (section->heading, 6);
      gtk_widget_add_css_class (section->heading, "caption-heading");
      gtk_widget_add_css_class (section->heading, "dim-label");
      gtk_box_append (self->sections_box, section->heading);

      section->list = GTK_LIST_BOX (gtk_list_box_new ());
      gtk_list_box_set_selection_mode (section->list, GTK_SELECTION_NONE);
      gtk_widget_add_css_class (GTK_WIDGET (section->list), "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (section->list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, headings[i], -1);
      gtk_box_append (self->sections_box, GTK_WIDGET (section->list));
    }
}

static void
loom_character_panel_dispose (GObject *object)
{
  LoomCharacterPanel *self = (LoomCharacterPanel *) object;
  GtkWidget *child;

  loom_character_panel_set_story (self, NULL);
  g_clear_object (&self->text_filter);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_CHARACTER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (loom_character_panel_parent_class)->dispose (object);
}

static void
loom_character_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LoomCharacterPanel *self = LOOM_CHARACTER_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_character_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LoomCharacterPanel *self = LOOM_CHARACTER_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORY:
      loom_character_panel_set_story (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_character_panel_class_init (LoomCharacterPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_character_panel_dispose;
  object_class->get_property = loom_character_panel_get_property;
  object_class->set_property = loom_character_panel_set_property;

  properties[PROP_STORY] =
    g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-character-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, sections_box);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, add_button);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, empty_add_button);
  gtk_widget_class_set_css_name (widget_class, "loomcharacterpanel");
}

static void
loom_character_panel_init (LoomCharacterPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->text_filter = GTK_FILTER (gtk_custom_filter_new (matches_filter, self, NULL));
  add_sections (self);
  g_signal_connect_swapped (self->filter_entry, "search-changed",
                            G_CALLBACK (on_filter_changed), self);
  update_page (self);
}
