/* mock-openrouter.c: the mock OpenRouter server, by hand
 *
 *   $ ./mock-openrouter [--delay MS] [--deltas N] [--url-file FILE]
 *                       [--status CODE [--retry-after S]] [--error-after N] [--truncate-after N]
 *                       [--key KEY]
 *   STORYLOOM_API_BASE=http://127.0.0.1:PORT/api/v1
 *
 * Any prompt gets plausible streamed prose (a request for an outline or characters gets TOON);
 * no key is needed unless --key is given. For trying the app without a key, and for seeing how
 * it takes each failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mock-openrouter"

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>

#include "loom-mock-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LoomMockServer) server = NULL;
  g_autoptr(LoomMockResponse) response = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  int delay = 30;
  int n_deltas = 0;
  g_autofree char *url_file = NULL;
  g_autofree char *key = NULL;
  int status = 200;
  int retry_after = -1;
  int error_after = -1;
  int truncate_after = -1;
  GOptionEntry entries[] = {
    { "delay", 'd', 0, G_OPTION_ARG_INT, &delay, "Milliseconds between deltas (30)", "MS" },
    { "deltas", 'n', 0, G_OPTION_ARG_INT, &n_deltas, "Deltas per answer (a paragraph)", "N" },
    { "url-file", 0, 0, G_OPTION_ARG_FILENAME, &url_file, "Also write the URL to FILE", "FILE" },
    { "status", 0, 0, G_OPTION_ARG_INT, &status,
      "Fail every request with this HTTP status (OpenRouter-shaped error body)", "CODE" },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after, "With --status: a Retry-After", "S" },
    { "error-after", 0, 0, G_OPTION_ARG_INT, &error_after,
      "Send an error object after N deltas", "N" },
    { "truncate-after", 0, 0, G_OPTION_ARG_INT, &truncate_after,
      "End the stream after N deltas, without [DONE]", "N" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, "Refuse requests without this API key", "KEY" },
    { NULL }
  };

  context = g_option_context_new ("— a stand-in for OpenRouter on 127.0.0.1");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  server = loom_mock_server_new (&error);
  if (server == NULL)
    {
      g_printerr ("Could not start the mock server: %s\n", error->message);
      return 1;
    }

  response = loom_mock_response_new ();
  response->delay_ms = MAX (delay, 0);
  response->n_deltas = MAX (n_deltas, 0);
  response->comments = TRUE;
  response->status = (guint) CLAMP (status, 100, 599);
  response->retry_after = retry_after;
  response->error_after = error_after;
  response->truncate_after = truncate_after;
  loom_mock_server_set_default (server, response);
  if (key != NULL)
    loom_mock_server_set_api_key (server, key);

  if (url_file != NULL && !g_file_set_contents (url_file, loom_mock_server_get_base_url (server),
                                                -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%s\n", loom_mock_server_get_base_url (server));
  g_printerr ("Try: STORYLOOM_API_BASE=%s storyloom-cli models\n",
              loom_mock_server_get_base_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
