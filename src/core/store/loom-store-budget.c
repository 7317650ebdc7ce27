/* loom-store-budget.c: money: the spending limits of each story and of the library per month
 *
 * Spending is read from the requests' own rows (generations, and trash_generations for the
 * month), never kept apart, so that it cannot disagree with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-budget.h"

/* The library setting that says the writer chose never to be asked before spending. */
#define CONFIRM_NEVER "confirm-never"

/* Where an amount lives: a story's row, or one of the library's named rows. */
typedef struct
{
  const char *select;
  const char *upsert;
  const char *remove;
  gint64      story_id;
  const char *name;
} Amount;

static void
amount_of_library (const char *name,
                   Amount     *amount)
{
  *amount = (Amount) {
    "SELECT amount FROM library_amounts WHERE name = ?1",
    "INSERT OR REPLACE INTO library_amounts (name, amount) VALUES (?1, ?2)",
    "DELETE FROM library_amounts WHERE name = ?1",
    0, name,
  };
}

static void
amount_for_limit (LoomStory *story,
                  Amount    *amount)
{
  if (story != NULL)
    *amount = (Amount) {
      "SELECT amount FROM story_spending_limits WHERE story_id = ?1",
      "INSERT OR REPLACE INTO story_spending_limits (story_id, amount) VALUES (?1, ?2)",
      "DELETE FROM story_spending_limits WHERE story_id = ?1",
      loom_story_get_id (story), NULL,
    };
  else
    amount_of_library ("monthly-limit", amount);
}

static void
bind_key (sqlite3_stmt *stmt,
          const Amount *amount)
{
  if (amount->name != NULL)
    sqlite3_bind_text (stmt, 1, amount->name, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, amount->story_id);
}

/* Runs @sql (bound to @amount's key, and @value as ?2 when not NAN); a row's first column goes
 * to *@out when there is one. */
static gboolean
run_amount (LoomStore     *self,
            const char    *sql,
            const Amount  *amount,
            double         value,
            double        *out,
            const char    *doing,
            GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self, sql, doing, error);
  if (stmt == NULL)
    return FALSE;
  bind_key (stmt, amount);
  if (!isnan (value))
    sqlite3_bind_double (stmt, 2, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && out != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *out = sqlite3_column_double (stmt, 0);
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

static gboolean
check_amount (double   value,
              GError **error)
{
  if (isfinite (value))
    return TRUE;
  g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
               _("An amount must be a number of US dollars."));
  return FALSE;
}

/* A negative @value removes the row. */
static gboolean
write_amount (LoomStore     *self,
              const Amount  *amount,
              double         value,
              GError       **error)
{
  const char *doing = _("saving the amount");

  if (!check_amount (value, error) || !_loom_store_begin (self, doing, error))
    return FALSE;
  if (!(value < 0 ? run_amount (self, amount->remove, amount, NAN, NULL, doing, error)
                  : run_amount (self, amount->upsert, amount, value, NULL, doing, error)))
    return _loom_store_rollback (self);
  return _loom_store_commit (self, doing, error);
}

gboolean
loom_store_get_spending_limit (LoomStore  *self,
                               LoomStory  *story,
                               double     *limit,
                               GError    **error)
{
  Amount amount;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (story == NULL || LOOM_IS_STORY (story), FALSE);
  g_return_val_if_fail (limit != NULL, FALSE);

  amount_for_limit (story, &amount);
  *limit = -1;
  return run_amount (self, amount.select, &amount, NAN, limit, _("reading the spending limit"),
                     error);
}

/**
 * loom_store_set_spending_limit:
 * @limit: US dollars; negative removes the limit
 */
gboolean
loom_store_set_spending_limit (LoomStore  *self,
                               LoomStory  *story,
                               double      limit,
                               GError    **error)
{
  Amount amount;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (story == NULL || LOOM_IS_STORY (story), FALSE);

  amount_for_limit (story, &amount);
  return write_amount (self, &amount, limit, error);
}

/* The threshold of a library where the writer never chose one. */
static double
default_threshold (void)
{
  const char *test = g_getenv ("STORYLOOM_TEST_ASK_ABOVE");
  char *end = NULL;
  double value;

  if (test == NULL)
    return LOOM_DEFAULT_CONFIRM_THRESHOLD;
  if (g_str_equal (test, "none"))
    return -1;
  value = g_ascii_strtod (test, &end);
  return end != test && *end == '\0' && isfinite (value) ? value
                                                         : LOOM_DEFAULT_CONFIRM_THRESHOLD;
}

gboolean
loom_store_get_confirm_threshold (LoomStore  *self,
                                  double     *threshold,
                                  GError    **error)
{
  Amount amount;
  gint64 never = 0;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (threshold != NULL, FALSE);

  amount_of_library ("confirm-above", &amount);
  *threshold = NAN;
  if (!run_amount (self, amount.select, &amount, NAN, threshold,
                   _("reading when to ask before spending"), error))
    return FALSE;
  if (!isnan (*threshold))
    return TRUE;
  /* no amount: "never" is the writer's choice, kept apart from a library never asked */
  if (!loom_store_get_setting (self, CONFIRM_NEVER, &never, error))
    return FALSE;
  *threshold = never ? -1 : default_threshold ();
  return TRUE;
}

/* The amount, or "never" as the writer's choice. */
static gboolean
write_threshold (LoomStore   *self,
                 double       threshold,
                 const char  *doing,
                 GError     **error)
{
  Amount amount;

  amount_of_library ("confirm-above", &amount);
  if (threshold < 0)
    return run_amount (self, amount.remove, &amount, NAN, NULL, doing, error) &&
           _loom_store_run (self, error, doing,
                            "INSERT OR REPLACE INTO library_settings (name, value) VALUES (?1, 1)",
                            "s", CONFIRM_NEVER);
  return run_amount (self, amount.upsert, &amount, threshold, NULL, doing, error) &&
         _loom_store_run (self, error, doing, "DELETE FROM library_settings WHERE name = ?1",
                          "s", CONFIRM_NEVER);
}

/**
 * loom_store_set_confirm_threshold:
 * @threshold: US dollars; 0 asks before every paid request, negative never asks
 */
gboolean
loom_store_set_confirm_threshold (LoomStore  *self,
                                  double      threshold,
                                  GError    **error)
{
  const char *doing = _("saving the amount");

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);

  if (!check_amount (threshold, error) || !_loom_store_begin (self, doing, error))
    return FALSE;
  if (!write_threshold (self, threshold, doing, error))
    return _loom_store_rollback (self);
  return _loom_store_commit (self, doing, error);
}

/* Midnight of the first of this month, local time, in ms since the epoch. */
static gint64
month_start (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) first = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now), 1, 0, 0, 0);

  return g_date_time_to_unix (first) * 1000;
}

gboolean
loom_store_get_spent (LoomStore  *self,
                      LoomStory  *story,
                      double     *spent,
                      GError    **error)
{
  const char *doing = _("reading what was spent");
  Amount key = { NULL, NULL, NULL, 0, NULL };

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (story == NULL || LOOM_IS_STORY (story), FALSE);
  g_return_val_if_fail (spent != NULL, FALSE);

  *spent = 0;
  if (story != NULL)
    {
      key.story_id = loom_story_get_id (story);
      return run_amount (self,
                         "SELECT total (max (cost, 0)) FROM generations WHERE story_id = ?1",
                         &key, NAN, spent, doing, error);
    }
  key.story_id = month_start ();
  return run_amount (self,
                     "SELECT (SELECT total (max (cost, 0)) FROM generations"
                     "  WHERE started_at >= ?1)"
                     " + (SELECT total (max (cost, 0)) FROM trash_generations"
                     "  WHERE started_at >= ?1)",
                     &key, NAN, spent, doing, error);
}
