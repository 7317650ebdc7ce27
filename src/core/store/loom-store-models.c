/* loom-store-models.c: the cache of each server's `/models` list
 *
 * A server's list is replaced whole, in one transaction, with the time it was fetched: a
 * lookup never mixes two lists. Lists are kept per server (the client's base URL), since a
 * local server's "llama3" has nothing to do with OpenRouter's prices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-models.h"

/* A price the server did not give, or one that is no price, is stored as NULL. */
static void
bind_price (sqlite3_stmt *stmt,
            int           column,
            double        price)
{
  if (price >= 0 && isfinite (price))
    sqlite3_bind_double (stmt, column, price);
  else
    sqlite3_bind_null (stmt, column);
}

static double
column_price (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1.0;
  return sqlite3_column_double (stmt, column);
}

static gboolean
insert_model (LoomStore             *self,
              const char            *server,
              const LoomModelEntry  *entry,
              const char            *doing,
              GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self,
                                    "INSERT OR REPLACE INTO models"
                                    " (server, id, context_length, prompt_price, completion_price)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5)",
                                    doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, server, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entry->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, MAX (0, entry->context_length));
  bind_price (stmt, 4, entry->prompt_price);
  bind_price (stmt, 5, entry->completion_price);
  rc = sqlite3_step (stmt);
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

/**
 * loom_store_save_models:
 * @server: the base URL the list came from
 * @fetched_at: when, in ms since the epoch
 *
 * Replaces the cached list of @server by @entries (entries without an id, or not UTF-8, are
 * left out), in one transaction.
 */
gboolean
loom_store_save_models (LoomStore             *self,
                        const char            *server,
                        const LoomModelEntry  *entries,
                        guint                  n_entries,
                        gint64                 fetched_at,
                        GError               **error)
{
  const char *doing = _("saving the list of models");

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (entries != NULL || n_entries == 0, FALSE);

  if (!_loom_store_begin (self, doing, error))
    return FALSE;
  if (!_loom_store_run (self, error, doing, "DELETE FROM models WHERE server = ?1", "s", server) ||
      !_loom_store_run (self, error, doing,
                        "INSERT OR REPLACE INTO model_lists (server, fetched_at) VALUES (?1, ?2)",
                        "si", server, fetched_at))
    return _loom_store_rollback (self);

  for (guint i = 0; i < n_entries; i++)
    {
      const char *id = entries[i].id;

      if (id == NULL || *id == '\0' || !g_utf8_validate (id, -1, NULL))
        continue;
      if (!insert_model (self, server, &entries[i], doing, error))
        return _loom_store_rollback (self);
    }

  return _loom_store_commit (self, doing, error);
}

/**
 * loom_store_get_models_date:
 *
 * Returns: when @server's list was last saved (ms since the epoch), 0 when never, -1 with
 *   @error set when the library could not be read
 */
gint64
loom_store_get_models_date (LoomStore   *self,
                            const char  *server,
                            GError     **error)
{
  const char *doing = _("reading the list of models");
  sqlite3_stmt *stmt;
  gint64 fetched_at = 0;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), -1);
  g_return_val_if_fail (server != NULL, -1);

  stmt = _loom_store_get_statement (self, "SELECT fetched_at FROM model_lists WHERE server = ?1",
                                    doing, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, server, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    fetched_at = sqlite3_column_int64 (stmt, 0);
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return -1;
  return fetched_at;
}

/**
 * loom_store_lookup_model:
 * @entry: (out caller-allocates): filled when found; its @id is @model
 *
 * Returns: %TRUE when @server's cached list has @model; %FALSE when it has not (@error unset)
 *   or the library could not be read (@error set)
 */
gboolean
loom_store_lookup_model (LoomStore       *self,
                         const char      *server,
                         const char      *model,
                         LoomModelEntry  *entry,
                         GError         **error)
{
  const char *doing = _("reading the list of models");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  stmt = _loom_store_get_statement (self,
                                    "SELECT context_length, prompt_price, completion_price"
                                    " FROM models WHERE server = ?1 AND id = ?2",
                                    doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, server, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      entry->id = model;
      entry->context_length = sqlite3_column_int64 (stmt, 0);
      entry->prompt_price = column_price (stmt, 1);
      entry->completion_price = column_price (stmt, 2);
    }
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error) && rc == SQLITE_ROW;
}
