/* test-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "test-ui-util.h"

static void
test_no_display (void)
{
  g_test_skip ("No display: run the window tests under xvfb-run -a");
}

gboolean
test_ui_init (int         *argc,
              char      ***argv,
              const char  *prefix)
{
  g_autofree char *path = g_strconcat (prefix, "/no-display", NULL);

  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func (path, test_no_display);
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}
