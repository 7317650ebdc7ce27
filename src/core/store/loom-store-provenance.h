/* loom-store-provenance.h: who wrote each stretch of a scene's prose, in the library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-disclosure.h"
#include "loom-provenance.h"
#include "loom-types.h"

G_BEGIN_DECLS

LoomProvenance *loom_store_get_provenance (LoomStore  *self,
                                           LoomScene  *scene,
                                           GError    **error);
LoomDisclosure *loom_store_get_disclosure (LoomStore  *self,
                                           LoomStory  *story,
                                           GError    **error);

G_END_DECLS
