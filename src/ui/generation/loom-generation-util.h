/* loom-generation-util.h: small helpers the generation widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-prompt.h"
#include "loom-types.h"

G_BEGIN_DECLS

/* A sentence for the writer saying which inputs changed, or %NULL for none. */
char       *loom_generation_describe_stale_inputs (guint               inputs);

/* "Generated", "Edited", "Partial", "Restored". */
char       *loom_generation_describe_author       (LoomProseOrigin     author,
                                                  const char         *model);
/* "312 words · written … · kept before Rewrite" */
char       *loom_generation_describe_revision     (LoomRevision       *revision,
                                                  LoomStore          *store,
                                                  char *            (*format_time) (gint64 ms));

/* "$0.0123", "less than $0.0001", or %NULL when @cost is unknown (negative). */
char       *loom_generation_format_cost           (double              cost);

/* Keeps @scroller at its end as content arrives while active, unless the reader scrolled
 * away. */
void        loom_generation_follow_end            (GtkScrolledWindow  *scroller);
void        loom_generation_follow_end_set_active (GtkScrolledWindow  *scroller,
                                                   gboolean            active);

/* Setters that leave a widget alone when it already shows @text: a label set to its own text
 * still lays itself out again, and a tooltip set asks the display where the pointer is (a
 * round trip to the X server). Rows and bars update many times a second while scenes stream.
 * An empty tooltip is none. */
void        loom_ui_set_label                     (GtkLabel           *label,
                                                   const char         *text);
void        loom_ui_set_tooltip                   (GtkWidget          *widget,
                                                   const char         *text);
void        loom_ui_set_icon_name                 (GtkImage           *image,
                                                   const char         *icon_name);
/* Gives @widget the one class of @classes (NULL-terminated) named @wanted, or none. */
void        loom_ui_set_css_class_among           (GtkWidget          *widget,
                                                   const char *const  *classes,
                                                   const char         *wanted);

/* Names the controls of GTK's and libadwaita's own windows and rows that GTK 4.8 leaves without
 * an accessible name below @root: icon buttons (by their tooltip, else by their icon), menu
 * buttons and search entries (by @search_name), and text views, in order, by @text_views. */
void        loom_ui_name_internal_controls        (GtkWidget          *root,
                                                   const char         *search_name,
                                                   const char *const  *text_views);

G_END_DECLS
