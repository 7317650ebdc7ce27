/* main.c: the storyloom executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "storyloom"

#include "config.h"

#include <locale.h>

#include "loom-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(LoomApplication) app = NULL;

  setlocale (LC_ALL, "");
  loom_application_bind_translations (LOCALEDIR);

  app = loom_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
