/* loom-dialog-util.h: what the window's dialogs do alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Gives @row the subtitle @figure (taken), leaving the row alone when it already shows it. */
void  loom_dialog_set_figure    (AdwActionRow          *row,
                                 char                  *figure);
/* Shows @message in @label, or hides the label for %NULL. */
void  loom_dialog_show_error    (GtkLabel              *label,
                                 const char            *message);

/* What a file chooser of loom_dialog_choose_file () calls with the file the writer chose. */
typedef void (*LoomFileChosenFunc) (GtkWidget *owner,
                                    GFile     *file);

void  loom_dialog_choose_file   (GtkWidget             *owner,
                                 GtkFileChooserNative **chooser,
                                 GtkFileChooserAction   action,
                                 const char            *title,
                                 const char            *accept_label,
                                 const char            *current_name,
                                 GtkFileFilter         *filter,
                                 LoomFileChosenFunc     chosen);
void  loom_dialog_clear_chooser (GtkFileChooserNative **chooser);

G_END_DECLS
