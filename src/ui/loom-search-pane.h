/* loom-search-pane.h: search and replace across the open story (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-store-search.h"
#include "loom-store.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SEARCH_PANE (loom_search_pane_get_type ())

G_DECLARE_FINAL_TYPE (LoomSearchPane, loom_search_pane, LOOM, SEARCH_PANE, GtkWidget)

/* The most matches listed: "the" in a long novel is tens of thousands of them. */
#define LOOM_SEARCH_PANE_MAX_LISTED 500

void             loom_search_pane_set_story       (LoomSearchPane *self,
                                                   LoomStore      *store,
                                                   LoomStory      *story);
void             loom_search_pane_refresh         (LoomSearchPane *self);
void             loom_search_pane_focus_query     (LoomSearchPane *self,
                                                   const char     *text);
const char      *loom_search_pane_get_query       (LoomSearchPane *self);
const char      *loom_search_pane_get_replacement (LoomSearchPane *self);
LoomSearchFlags  loom_search_pane_get_flags       (LoomSearchPane *self);

/* For the tests. */
GtkListBox      *loom_search_pane_get_results     (LoomSearchPane *self);
GtkWidget       *loom_search_pane_get_replace_entry (LoomSearchPane *self);
const char      *loom_search_pane_get_status_text (LoomSearchPane *self);
guint            loom_search_pane_get_n_listed    (LoomSearchPane *self);

G_END_DECLS
