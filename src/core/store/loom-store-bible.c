/* loom-store-bible.c: adding, deleting and restoring story bible entries
 *
 * Entries are places, objects, groups and lore; characters keep their own table and functions
 * (loom-store-edit.c) and share the inclusion rule and aliases. Like characters, a story lists
 * its entries by id, oldest first, and a deleted entry goes to the Trash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-bible"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"

static gboolean
check_spec (const LoomEntrySpec  *spec,
            GError              **error)
{
  if (!loom_store_check_text (spec->name, _("name"), error) ||
      !loom_store_check_text (spec->aliases, _("aliases"), error) ||
      !loom_store_check_text (spec->description, _("description"), error) ||
      !_loom_store_check_not_blank (spec->name, _("An entry of the story bible needs a name."),
                                    error))
    return FALSE;
  if ((guint) spec->kind >= LOOM_ENTRY_N_KINDS || (guint) spec->inclusion > LOOM_INCLUSION_NEVER)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("An entry is a place, an object, a group or lore, and is included "
                             "always, when mentioned, or never."));
      return FALSE;
    }
  return TRUE;
}

/* Inside the caller's transaction: the row, and its mirror (not yet remembered nor listed). */
static LoomEntry *
insert_entry (LoomStore            *self,
              LoomStory            *story,
              const LoomEntrySpec  *spec,
              GError              **error)
{
  LoomEntry *entry;

  if (!_loom_store_run (self, error, _("adding to the story bible"),
                        "INSERT INTO entries (story_id, kind, name, aliases, description,"
                        " inclusion) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "isssss", story->id,
                        loom_entry_kind_to_string (spec->kind), spec->name,
                        spec->aliases ? spec->aliases : "",
                        spec->description ? spec->description : "",
                        loom_inclusion_to_string (spec->inclusion)))
    return NULL;

  entry = _loom_entry_new (story);
  entry->id = sqlite3_last_insert_rowid (self->db);
  entry->kind = spec->kind;
  entry->name = g_strdup (spec->name);
  entry->aliases = g_strdup (spec->aliases ? spec->aliases : "");
  entry->description = g_strdup (spec->description ? spec->description : "");
  entry->inclusion = spec->inclusion;
  return entry;
}

/**
 * loom_store_add_entries:
 * @specs: (array length=n_specs): the entries, checked all before any is written
 *
 * Adds entries to @story's bible in one transaction: all of them or none.
 */
gboolean
loom_store_add_entries (LoomStore            *self,
                        LoomStory            *story,
                        const LoomEntrySpec  *specs,
                        guint                 n_specs,
                        GError              **error)
{
  const char *doing = _("adding to the story bible");
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);
  g_return_val_if_fail (specs != NULL || n_specs == 0, FALSE);

  if (!_loom_store_check_live (self, self->stories_by_id, story->id, error))
    return FALSE;
  for (guint i = 0; i < n_specs; i++)
    if (!check_spec (&specs[i], error))
      return FALSE;

  if (!_loom_store_begin (self, doing, error))
    return FALSE;
  for (guint i = 0; i < n_specs; i++)
    {
      LoomEntry *entry = insert_entry (self, story, &specs[i], error);

      if (entry == NULL)
        return _loom_store_rollback (self);
      g_ptr_array_add (added, entry);
    }
  if (!_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  for (guint i = 0; i < added->len; i++)
    {
      LoomEntry *entry = g_ptr_array_index (added, i);

      _loom_store_remember (self->entries_by_id, &entry->id, entry);
    }
  g_list_store_splice (story->entries, g_list_model_get_n_items (G_LIST_MODEL (story->entries)),
                       0, added->pdata, added->len);
  return TRUE;
}

/**
 * loom_store_add_entry:
 * @aliases: (nullable): other names, separated by commas
 * @description: (nullable): what the model should know
 *
 * Returns: (transfer none): the new entry, at the end of loom_story_get_entries(), or %NULL
 *   with @error set
 */
LoomEntry *
loom_store_add_entry (LoomStore      *self,
                      LoomStory      *story,
                      LoomEntryKind   kind,
                      const char     *name,
                      const char     *aliases,
                      const char     *description,
                      LoomInclusion   inclusion,
                      GError        **error)
{
  LoomEntrySpec spec = { kind, name, aliases, description, inclusion };
  g_autoptr(LoomEntry) added = NULL;
  GListModel *entries;

  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if (!loom_store_add_entries (self, story, &spec, 1, error))
    return NULL;
  entries = G_LIST_MODEL (story->entries);
  added = g_list_model_get_item (entries, g_list_model_get_n_items (entries) - 1);
  /* The store holds it; the caller borrows it, as from loom_store_lookup_entry(). */
  return added;
}

/**
 * loom_store_delete_entry:
 *
 * Moves @entry to the Trash; the scenes whose prompt included it become outdated.
 *
 * Returns: (transfer full): the deletion, for Undo, or %NULL with @error set
 */
LoomDeletion *
loom_store_delete_entry (LoomStore  *self,
                         LoomEntry  *entry,
                         GError    **error)
{
  LoomTrashEntry trash = { 0 };

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_ENTRY (entry), NULL);

  if (!_loom_store_check_live (self, self->entries_by_id, entry->id, error))
    return NULL;

  trash.kind = LOOM_TRASH_ENTRY;
  trash.item_id = entry->id;
  trash.story_id = entry->story->id;
  trash.title = entry->name;
  trash.story_title = entry->story->title;
  return _loom_store_trash_listed (self, G_OBJECT (entry), entry->story->entries,
                                   self->entries_by_id, &trash, "entries",
                                   LOOM_SCENE_INPUT_ENTRY, _("deleting the entry"), error);
}

gboolean
_loom_store_set_choice (LoomStore   *self,
                        GObject     *object,
                        const char  *table,
                        guint       *field,
                        guint        value,
                        const char  *word,
                        GParamSpec  *pspec,
                        GError     **error)
{
  g_autofree char *sql = NULL;
  gint64 id = 0;

  if (*field == value)
    return TRUE;
  if (!_loom_store_check_open (self, error))
    return FALSE;
  g_object_get (object, "id", &id, NULL);
  /* The column is the property's name: "kind" or "inclusion". */
  sql = g_strdup_printf ("UPDATE %s SET %s = ?1 WHERE id = ?2", table, pspec->name);
  if (!_loom_store_run (self, error, _("saving the change"), sql, "si", word, id))
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}
