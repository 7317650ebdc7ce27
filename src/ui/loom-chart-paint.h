/* loom-chart-paint.h: what the window's charts draw alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  loom_chart_text_color   (GtkWidget   *widget,
                               float        alpha,
                               GdkRGBA     *color);
void  loom_chart_append_rect  (GtkSnapshot *snapshot,
                               const char  *color,
                               float        x,
                               float        y,
                               float        width,
                               float        height);
void  loom_chart_append_text  (GtkWidget     *widget,
                               GtkSnapshot   *snapshot,
                               const char    *text,
                               const GdkRGBA *color,
                               float          x,
                               float          y,
                               float          xalign);
void  loom_chart_append_label (GtkWidget   *widget,
                               GtkSnapshot *snapshot,
                               const char  *text,
                               float        x,
                               float        y,
                               float        xalign);
int   loom_chart_text_width   (GtkWidget   *widget,
                               const char  *text,
                               int         *height);

G_END_DECLS
