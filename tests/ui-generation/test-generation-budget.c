/* test-generation-budget.c: prices, estimates and spending limits in the window (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-generation-controller.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-window-private.h"
#include "test-generation-util.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef TestGenerationWindow Fixture;

static LoomGenerationController *
controller (Fixture *f)
{
  return f->window->generation;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  test_generation_window_open (f, "storyloom-gen-budget-XXXXXX", 30, 2,
                               test_generation_window_ready);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_generation_window_close (f);
}

static guint
n_lists (Fixture *f)
{
  return loom_mock_server_get_model_requests (f->server)->len;
}

static gboolean
list_kept (gpointer data)
{
  Fixture *f = data;
  LoomGenerationController *gen = controller (f);

  return loom_model_catalog_get_date (f->store, loom_generation_controller_get_client (gen)) > 0;
}

static gboolean
two_lists (gpointer data)
{
  return n_lists (data) == 2;
}

/* The window fetches the server's models once it may talk to the server, keeps them in the
 * library, and fetches them again when that copy is more than a day old; the chats' answers
 * and counters are not touched. */
static void
test_models_refreshed (Fixture       *f,
                       gconstpointer  data)
{
  LoomAiClient *client = loom_generation_controller_get_client (controller (f));
  g_autoptr(LoomAiModelInfo) info = NULL;
  g_autofree char *old = NULL;

  test_spin_until (list_kept, f, "the list of models in the library");
  g_assert_cmpuint (n_lists (f), ==, 1);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  info = loom_model_catalog_lookup (f->store, client, "anthropic/claude-3.5-sonnet");
  g_assert_nonnull (info);
  g_assert_cmpint (info->context_length, ==, 200000);

  /* a day and a minute later, a new window asks again */
  old = g_strdup_printf ("UPDATE model_lists SET fetched_at = %" G_GINT64_FORMAT,
                         g_get_real_time () / 1000 - LOOM_MODEL_CATALOG_MAX_AGE_MS - 60000);
  test_sql_exec (loom_store_get_path (f->store), old);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  f->window = g_object_ref_sink (loom_window_new (NULL, f->store));
  gtk_window_present (GTK_WINDOW (f->window));
  test_spin_until (two_lists, f, "the list to be fetched again");
  test_spin_until (test_generation_window_ready, f, "the second window");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-budget"))
    return g_test_run ();
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/generation-budget/models-refreshed", test_models_refreshed);
#undef ADD
  return g_test_run ();
}
