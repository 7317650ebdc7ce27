/* test-ui-util.h: what the window tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Initialises GTest, GTK and libadwaita for a window test, with animations off so that waits end
 * sooner. Without a display it registers one skipped test, "@prefix/no-display", saying how to run
 * them, and returns FALSE: the caller then returns g_test_run (). */
gboolean test_ui_init (int        *argc,
                       char     ***argv,
                       const char *prefix);

G_END_DECLS
