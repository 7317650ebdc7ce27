/* loom-disclosure-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-disclosure.h"

G_BEGIN_DECLS

#define LOOM_TYPE_DISCLOSURE_CHART (loom_disclosure_chart_get_type ())

G_DECLARE_FINAL_TYPE (LoomDisclosureChart, loom_disclosure_chart, LOOM, DISCLOSURE_CHART, GtkWidget)

GtkWidget *loom_disclosure_chart_new        (void);
void       loom_disclosure_chart_set_report (LoomDisclosureChart  *self,
                                             const LoomDisclosure *report);
/* the bars drawn: the whole story's first, then one per chapter */
guint      loom_disclosure_chart_get_n_bars (LoomDisclosureChart  *self);
const char *loom_disclosure_chart_get_description (LoomDisclosureChart *self);

G_END_DECLS
