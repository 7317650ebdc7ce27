/* loom-store-search.h: search and replace across a story's outlines and prose (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-search.h"
#include "loom-types.h"

G_BEGIN_DECLS

typedef enum
{
  LOOM_SEARCH_FIELD_OUTLINE,
  LOOM_SEARCH_FIELD_PROSE,
} LoomSearchField;

/* One match: where it is in the story, where in the scene's text (bytes), and a line of
 * context around it with the match's place in that line (characters). */
typedef struct
{
  gint64           scene_id;
  guint            chapter_number;
  guint            scene_number;
  LoomSearchField  field;
  gsize            start;
  gsize            length;
  char            *snippet;
  guint            snippet_start;
  guint            snippet_length;
} LoomSearchMatch;

/* All the matches of a search, also those past its limit. */
typedef struct
{
  guint n_matches;
  guint n_scenes;          /* scenes with a match in the outline or the prose */
  guint n_prose_matches;   /* those Replace All replaces */
  guint n_prose_scenes;
} LoomSearchCounts;

/* One scene's prose changed by Replace All. */
typedef struct
{
  gint64  scene_id;
  char   *before;
  char   *after;
  guint   n_replaced;
} LoomReplacement;

GArray     *loom_store_search                   (LoomStore         *self,
                                                 LoomStory         *story,
                                                 const char        *query,
                                                 LoomSearchFlags    flags,
                                                 guint              limit,
                                                 GError           **error);
GArray     *loom_store_search_first             (LoomStore         *self,
                                                 LoomStory         *story,
                                                 const char        *query,
                                                 LoomSearchFlags    flags,
                                                 guint              limit,
                                                 gboolean          *more,
                                                 GError           **error);
GArray     *loom_store_search_counted           (LoomStore         *self,
                                                 LoomStory         *story,
                                                 const char        *query,
                                                 LoomSearchFlags    flags,
                                                 guint              limit,
                                                 LoomSearchCounts  *counts,
                                                 GError           **error);
GArray     *loom_store_replace_all              (LoomStore         *self,
                                                 LoomStory         *story,
                                                 const char        *query,
                                                 const char        *replacement,
                                                 LoomSearchFlags    flags,
                                                 GError           **error);
gboolean    loom_store_put_back_replacements    (LoomStore         *self,
                                                 GArray            *replacements,
                                                 gboolean           redo,
                                                 GError           **error);
gboolean    loom_store_rebuild_search           (LoomStore         *self,
                                                 GError           **error);

G_END_DECLS
