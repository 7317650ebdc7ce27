/* loom-store-budget.h: spending limits, and what has been spent against them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

/* Amounts are US dollars. @story %NULL means the library's monthly limit, and what the
 * library's requests cost since the first of this month (local time), deleted stories'
 * included while they are in the trash. A negative limit is no limit. */
gboolean  loom_store_get_spending_limit (LoomStore   *self,
                                         LoomStory   *story,
                                         double      *limit,
                                         GError     **error);
gboolean  loom_store_set_spending_limit (LoomStore   *self,
                                         LoomStory   *story,
                                         double       limit,
                                         GError     **error);
gboolean  loom_store_get_spent          (LoomStore   *self,
                                         LoomStory   *story,
                                         double      *spent,
                                         GError     **error);

/* Asked about when the writer never chose: above this, a paid request asks first. A scene
 * with the default model costs about $0.03; a chapter or a story costs more, and so does any
 * request to an expensive model. STORYLOOM_TEST_ASK_ABOVE ("none" or an amount) replaces it in
 * the test suite. */
#define LOOM_DEFAULT_CONFIRM_THRESHOLD 0.10

/* Above what estimated cost a paid request asks first, in US dollars: 0 asks before every
 * one, negative never asks. A library where the writer never chose asks above
 * %LOOM_DEFAULT_CONFIRM_THRESHOLD. */
gboolean  loom_store_get_confirm_threshold (LoomStore   *self,
                                            double      *threshold,
                                            GError     **error);
gboolean  loom_store_set_confirm_threshold (LoomStore   *self,
                                            double       threshold,
                                            GError     **error);

G_END_DECLS
