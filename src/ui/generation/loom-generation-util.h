/* loom-generation-util.h: small helpers the generation widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
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

/* Characters a text tag is to cover, counted from the start of a region. */
typedef struct
{
  int start;
  int end;
} LoomTagRange;

/* Whether @tag may cover @start..@end now (the word being typed waits, for one). */
typedef gboolean (*LoomTagRangeFilter) (const GtkTextIter *start,
                                        const GtkTextIter *end,
                                        gpointer           data);

/* Makes @tag cover exactly @ranges (in the order of their starts) within @start..@end, touching
 * only what differs: each change of a tag makes the text view lay its paragraph out again, and
 * a long paragraph streaming in would be laid out at every pass. */
void        loom_ui_sync_tag                      (GtkTextBuffer      *buffer,
                                                   GtkTextTag         *tag,
                                                   const GtkTextIter  *start,
                                                   const GtkTextIter  *end,
                                                   const LoomTagRange *ranges,
                                                   guint               n_ranges,
                                                   LoomTagRangeFilter  may_apply,
                                                   gpointer            data);

/* Names the controls of GTK's and libadwaita's own windows and rows that GTK 4.8 leaves without
 * an accessible name below @root: icon buttons (by their tooltip, else by their icon), menu
 * buttons and search entries (by @search_name), and text views, in order, by @text_views. */
void        loom_ui_name_internal_controls        (GtkWidget          *root,
                                                   const char         *search_name,
                                                   const char *const  *text_views);

/* A question for the writer: "cancel" (labelled @cancel_label, else Cancel) is the close
 * response and the default, so that Enter or Escape changes nothing; @response, labelled @label,
 * shows @appearance. A caller whose answer is safe makes it the default itself. Not presented. */
AdwMessageDialog *loom_ui_question_new            (GtkWindow          *parent,
                                                   const char         *heading,
                                                   const char         *body,
                                                   const char         *cancel_label,
                                                   const char         *response,
                                                   const char         *label,
                                                   AdwResponseAppearance appearance);

/* Presents @question, holding a reference to @item (when @key is not %NULL) under @key for
 * @on_response, which is connected for as long as @owner lives (with no data when @owner is
 * %NULL). */
GtkWindow  *loom_ui_question_ask                  (AdwMessageDialog   *question,
                                                   const char         *key,
                                                   gpointer            item,
                                                   GCallback           on_response,
                                                   gpointer            owner);

/* Connects @callback, swapped, to @detailed_signal of the @n_items items of @model from
 * @position on, for as long as @owner lives. */
void        loom_ui_connect_items                 (GListModel         *model,
                                                   guint               position,
                                                   guint               n_items,
                                                   const char         *detailed_signal,
                                                   GCallback           callback,
                                                   gpointer            owner);

/* Where @item stands in @model, compared by pointer. */
gboolean    loom_ui_list_model_find               (GListModel         *model,
                                                   gpointer            item,
                                                   guint              *position);

G_END_DECLS
