/* loom-words.h: counting words the way a writer does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint loom_count_words (const char *text,
                        gssize      length);

char *loom_last_words  (const char *text,
                        guint       n_words);

G_END_DECLS
