/* loom-model.c: what the model objects share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-model"

#include "config.h"

#include "loom-model-private.h"

static const LoomTextColumn *
find_column (const LoomTextColumns *columns,
             const char            *property)
{
  for (guint i = 0; i < columns->n_columns; i++)
    {
      if (g_str_equal (columns->columns[i].name, property))
        return &columns->columns[i];
    }
  return NULL;
}

gboolean
_loom_model_edit_text (GObject                *object,
                       LoomStore              *store,
                       gint64                  id,
                       const LoomTextColumns  *columns,
                       const char             *property,
                       const char             *text,
                       const char             *base,
                       char                  **before,
                       GError                **error)
{
  const LoomTextColumn *column;
  GParamSpec *pspec;
  g_auto(LoomTextEdit) edit = { .table = columns->table, .id = id };

  g_return_val_if_fail (property != NULL, FALSE);
  column = find_column (columns, property);
  g_return_val_if_fail (column != NULL, FALSE);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), column->name);
  g_return_val_if_fail (pspec != NULL, FALSE);

  edit.column = edit.what = column->name;
  edit.flags = column->flags;
  edit.value = column->null_is_empty && text == NULL ? "" : text;
  edit.base = column->null_is_empty && base == NULL ? "" : base;
  return _loom_store_edit_text (store, &edit, object, G_STRUCT_MEMBER_P (object, column->field),
                                pspec, before, error);
}
