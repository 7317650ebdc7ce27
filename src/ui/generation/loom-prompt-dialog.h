/* loom-prompt-dialog.h: the exact messages a request sends, and their size
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

/* A selection action's request, not sent yet, with its instruction editable (see
 * LoomPromptDialog:instruction). */
LoomPromptDialog *loom_prompt_dialog_new_for_messages (JsonArray        *messages,
                                                       guint             tokens,
                                                       const char       *title,
                                                       const char       *model,
                                                       const char       *instruction);
void              loom_prompt_dialog_set_messages     (LoomPromptDialog *self,
                                                       JsonArray        *messages,
                                                       guint             tokens);
const char       *loom_prompt_dialog_get_instruction  (LoomPromptDialog *self);
void              loom_prompt_dialog_set_instruction  (LoomPromptDialog *self,
                                                       const char       *instruction);

/* For the tests: the text shown and the subtitle with the token estimate. */
char             *loom_prompt_dialog_get_text     (LoomPromptDialog *self);
const char       *loom_prompt_dialog_get_subtitle (LoomPromptDialog *self);
char               *loom_prompt_dialog_get_parts_text (LoomPromptDialog *self);

G_END_DECLS
