/* loom-deletion.c
 *
 * The rows are copied out with sqlite3_value_dup before the DELETE, in parent-first order,
 * so putting them back is a plain INSERT per row with the same ids: undo gives back exactly
 * what was there, revisions and usage included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"

typedef struct
{
  char      *table;
  int        n_columns;
  GPtrArray *rows;  /* of Row */
} CapturedTable;

typedef struct
{
  int            n_values;
  sqlite3_value *values[];
} Row;

struct _LoomDeletion
{
  GObject    parent_instance;

  GObject   *item;
  GArray    *tables;  /* of CapturedTable */
  gboolean   spent;
};

G_DEFINE_FINAL_TYPE (LoomDeletion, loom_deletion, G_TYPE_OBJECT)

static void
captured_table_clear (gpointer data)
{
  CapturedTable *t = data;

  g_free (t->table);
  g_ptr_array_unref (t->rows);
}

static void
free_row (gpointer data)
{
  Row *row = data;

  for (int i = 0; i < row->n_values; i++)
    sqlite3_value_free (row->values[i]);
  g_free (row);
}

static void
loom_deletion_finalize (GObject *object)
{
  LoomDeletion *self = (LoomDeletion *) object;

  g_clear_object (&self->item);
  g_clear_pointer (&self->tables, g_array_unref);

  G_OBJECT_CLASS (loom_deletion_parent_class)->finalize (object);
}

static void
loom_deletion_class_init (LoomDeletionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = loom_deletion_finalize;
}

static void
loom_deletion_init (LoomDeletion *self)
{
  self->tables = g_array_new (FALSE, TRUE, sizeof (CapturedTable));
  g_array_set_clear_func (self->tables, captured_table_clear);
}

LoomDeletion *
_loom_deletion_new (GObject *item)
{
  LoomDeletion *self = g_object_new (LOOM_TYPE_DELETION, NULL);

  self->item = g_object_ref (item);
  return self;
}

/* Copies the rows of @table matching @where, a condition of ours in which ?1 stands for @id. */
gboolean
_loom_deletion_capture (LoomDeletion  *self,
                        sqlite3       *db,
                        const char    *table,
                        const char    *where,
                        gint64         id,
                        GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE %s ORDER BY id",
                                          table, where);
  sqlite3_stmt *stmt = NULL;
  CapturedTable t = { 0 };
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, db, rc, _("deleting"));
      return FALSE;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  t.table = g_strdup (table);
  t.n_columns = sqlite3_column_count (stmt);
  t.rows = g_ptr_array_new_with_free_func (free_row);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = g_malloc0 (sizeof (Row) + t.n_columns * sizeof (sqlite3_value *));

      row->n_values = t.n_columns;
      for (int i = 0; i < t.n_columns; i++)
        row->values[i] = sqlite3_value_dup (sqlite3_column_value (stmt, i));
      g_ptr_array_add (t.rows, row);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      captured_table_clear (&t);
      _loom_store_set_sqlite_error (error, db, rc, _("deleting"));
      return FALSE;
    }

  g_array_append_val (self->tables, t);
  return TRUE;
}

gboolean
_loom_deletion_restore_rows (LoomDeletion  *self,
                             sqlite3       *db,
                             GError       **error)
{
  for (guint i = 0; i < self->tables->len; i++)
    {
      CapturedTable *t = &g_array_index (self->tables, CapturedTable, i);
      g_autoptr(GString) sql = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;
      int rc;

      g_string_append_printf (sql, "INSERT INTO %s VALUES (", t->table);
      for (int c = 0; c < t->n_columns; c++)
        g_string_append (sql, c == 0 ? "?" : ", ?");
      g_string_append (sql, ")");

      rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
      for (guint r = 0; rc == SQLITE_OK && r < t->rows->len; r++)
        {
          Row *row = g_ptr_array_index (t->rows, r);

          for (int c = 0; c < t->n_columns; c++)
            sqlite3_bind_value (stmt, c + 1, row->values[c]);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_DONE)
            rc = sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);

      if (rc != SQLITE_OK)
        {
          _loom_store_set_sqlite_error (error, db, rc, _("undoing the deletion"));
          return FALSE;
        }
    }
  return TRUE;
}

GObject *
_loom_deletion_get_object (LoomDeletion *self)
{
  return self->item;
}

gboolean
_loom_deletion_is_spent (LoomDeletion *self)
{
  return self->spent;
}

void
_loom_deletion_mark_spent (LoomDeletion *self)
{
  self->spent = TRUE;
}

/**
 * loom_deletion_get_item:
 *
 * Returns: (transfer none): the deleted #LoomChapter, #LoomScene or #LoomCharacter.
 */
GObject *
loom_deletion_get_item (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);
  return self->item;
}

/**
 * loom_deletion_describe:
 *
 * Returns: a sentence for an Undo toast, such as “Chapter “Arrival” deleted”.
 */
char *
loom_deletion_describe (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);

  if (LOOM_IS_CHAPTER (self->item))
    return g_strdup_printf (_("Chapter “%s” deleted"),
                            loom_chapter_get_title (LOOM_CHAPTER (self->item)));
  if (LOOM_IS_SCENE (self->item))
    return g_strdup_printf (_("Scene %u deleted"),
                            loom_scene_get_number (LOOM_SCENE (self->item)));
  return g_strdup_printf (_("Character “%s” deleted"),
                          loom_character_get_name (LOOM_CHARACTER (self->item)));
}
