/* loom-prompt-dialog.h: the exact messages a scene's generation sends, and their size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-prompt.h"

G_BEGIN_DECLS

#define LOOM_TYPE_PROMPT_DIALOG (loom_prompt_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomPromptDialog, loom_prompt_dialog, LOOM, PROMPT_DIALOG, AdwWindow)

LoomPromptDialog *loom_prompt_dialog_new      (LoomPrompt       *prompt,
                                               const char       *model);
LoomPrompt       *loom_prompt_dialog_get_prompt (LoomPromptDialog *self);

/* For the tests: the text shown and the subtitle with the token estimate. */
char             *loom_prompt_dialog_get_text     (LoomPromptDialog *self);
const char       *loom_prompt_dialog_get_subtitle (LoomPromptDialog *self);

G_END_DECLS
