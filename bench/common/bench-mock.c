/* bench-mock.c: the mock OpenRouter server on a thread of its own
 *
 * The server streams as fast as it can on its own thread and main context, so that the main
 * loop a benchmark measures is the application's alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-mock"

#include "config.h"

#include "bench-mock.h"

struct _BenchMock
{
  GMutex            lock;
  GCond             ready;
  GThread          *thread;
  LoomMockResponse *response;  /* the first default answer, until the server has it */
  LoomMockServer   *server;
  char             *base_url;
  GMainLoop        *loop;
};

static gpointer
server_thread (gpointer data)
{
  BenchMock *mock = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  g_mutex_lock (&mock->lock);
  mock->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  if (mock->response != NULL)
    loom_mock_server_set_default (mock->server, mock->response);
  g_clear_pointer (&mock->response, loom_mock_response_free);
  mock->base_url = g_strdup (loom_mock_server_get_base_url (mock->server));
  mock->loop = g_main_loop_new (context, FALSE);
  g_cond_signal (&mock->ready);
  g_mutex_unlock (&mock->lock);

  g_main_loop_run (mock->loop);
  g_clear_object (&mock->server);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/**
 * bench_mock_start:
 * @response: (nullable): what the server answers every request with, until
 *   bench_mock_set_default()
 *
 * Returns: (transfer full): the server, listening, on its own thread
 */
BenchMock *
bench_mock_start (const LoomMockResponse *response)
{
  BenchMock *mock = g_new0 (BenchMock, 1);

  g_mutex_init (&mock->lock);
  g_cond_init (&mock->ready);
  mock->response = response != NULL ? loom_mock_response_copy (response) : NULL;
  g_mutex_lock (&mock->lock);
  mock->thread = g_thread_new ("mock-server", server_thread, mock);
  while (mock->base_url == NULL)
    g_cond_wait (&mock->ready, &mock->lock);
  g_mutex_unlock (&mock->lock);
  return mock;
}

const char *
bench_mock_get_base_url (BenchMock *mock)
{
  return mock->base_url;
}

/* Only between requests: the server reads its answer on its own thread. */
void
bench_mock_set_default (BenchMock              *mock,
                        const LoomMockResponse *response)
{
  loom_mock_server_set_default (mock->server, response);
}

/* Stops the server, waits for its thread and frees @mock. */
void
bench_mock_stop (BenchMock *mock)
{
  g_main_loop_quit (mock->loop);
  g_thread_join (mock->thread);
  g_main_loop_unref (mock->loop);
  g_free (mock->base_url);
  g_mutex_clear (&mock->lock);
  g_cond_clear (&mock->ready);
  g_free (mock);
}
