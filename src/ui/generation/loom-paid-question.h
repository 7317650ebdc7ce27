/* loom-paid-question.h: the question before an action that pays the model, when its estimate
 * is above the threshold set in Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-paid-action.h"

G_BEGIN_DECLS

typedef void (*LoomPaidRunFunc) (GObject  *owner,
                                 gpointer  data);

/* Runs @run (@owner, @data) at once when @action's estimate is within the library's threshold;
 * else asks first in a dialog on @parent: @heading ("Generate Chapter 3?"), how many scenes
 * (for the scene actions), the estimate with the model, and Cancel, the default, or @accept.
 * Cancel sends nothing. @run is not called when @owner was finalized meanwhile. An action that
 * cannot be estimated runs at once: its request fails the same way, before anything is sent.
 * @destroy frees @data in every case.
 *
 * Returns: (transfer none) (nullable): the question, when one was asked */
GtkWindow *loom_paid_question_run (GtkWindow             *parent,
                                   LoomGenerator         *generator,
                                   const LoomPaidAction  *action,
                                   const char            *heading,
                                   const char            *accept,
                                   GObject               *owner,
                                   LoomPaidRunFunc        run,
                                   gpointer               data,
                                   GDestroyNotify         destroy);

G_END_DECLS
