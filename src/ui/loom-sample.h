/* loom-sample.h: the sample story shipped in the resources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-store.h"

G_BEGIN_DECLS

LoomStory *loom_sample_load (LoomStore  *store,
                             GError    **error);

G_END_DECLS
