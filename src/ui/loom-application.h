/* loom-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-store.h"

G_BEGIN_DECLS

#define LOOM_TYPE_APPLICATION (loom_application_get_type ())

G_DECLARE_FINAL_TYPE (LoomApplication, loom_application, LOOM, APPLICATION, AdwApplication)

LoomApplication *loom_application_new               (void);
LoomStore       *loom_application_get_store         (LoomApplication *self);
void             loom_application_bind_translations (const char      *localedir);

G_END_DECLS
