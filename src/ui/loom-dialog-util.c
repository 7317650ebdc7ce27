/* loom-dialog-util.c: what the window's dialogs do alike (issue 12)
 *
 * The statistics and the disclosure show their figures as rows' subtitles and say a failure
 * in a label above them; the export dialogs, the disclosure and the window's import ask for a
 * file through a native chooser that belongs to them, so that closing them closes it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-dialog-util"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-dialog-util.h"

/* The dialogs refresh their figures often (every save, every burst of generated text): a
 * subtitle set to what it shows would lay the row out again for nothing. */
void
loom_dialog_set_figure (AdwActionRow *row,
                        char         *figure)
{
  g_autofree char *owned = figure;

  g_return_if_fail (ADW_IS_ACTION_ROW (row));

  if (g_strcmp0 (adw_action_row_get_subtitle (row), owned) != 0)
    adw_action_row_set_subtitle (row, owned);
}

void
loom_dialog_show_error (GtkLabel   *label,
                        const char *message)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

typedef struct
{
  GtkWidget             *owner;     /* borrowed: its dispose destroys the chooser */
  GtkFileChooserNative **chooser;   /* the owner's field holding the chooser */
  LoomFileChosenFunc     chosen;
} ChooserData;

static void
chooser_data_free (gpointer  data,
                   GClosure *closure)
{
  g_free (data);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     ChooserData     *data)
{
  g_autoptr(GFile) file = NULL;
  GtkWidget *owner = data->owner;
  LoomFileChosenFunc chosen = data->chosen;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  /* the chooser has answered: it goes, and @data with it */
  g_clear_object (data->chooser);
  if (file != NULL)
    chosen (owner, file);
}

/**
 * loom_dialog_choose_file:
 * @owner: the window the chooser is modal over
 * @chooser: @owner's field for its chooser, which @owner's dispose clears with
 *   loom_dialog_clear_chooser (); a chooser it holds already is closed first
 * @current_name: (nullable): the file name offered, for a chooser that saves
 * @filter: (nullable): the only files shown, for a chooser that opens
 * @chosen: called with @owner and the file once the writer has chosen one; not when they cancel
 *
 * Shows a native file chooser over @owner.
 */
void
loom_dialog_choose_file (GtkWidget             *owner,
                         GtkFileChooserNative **chooser,
                         GtkFileChooserAction   action,
                         const char            *title,
                         const char            *accept_label,
                         const char            *current_name,
                         GtkFileFilter         *filter,
                         LoomFileChosenFunc     chosen)
{
  ChooserData *data;

  g_return_if_fail (GTK_IS_WINDOW (owner));
  g_return_if_fail (chooser != NULL);
  g_return_if_fail (chosen != NULL);

  loom_dialog_clear_chooser (chooser);
  *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (owner), action, accept_label,
                                          _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (*chooser), TRUE);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (*chooser), current_name);
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (*chooser), filter);
  data = g_new0 (ChooserData, 1);
  data->owner = owner;
  data->chooser = chooser;
  data->chosen = chosen;
  g_signal_connect_data (*chooser, "response", G_CALLBACK (on_chooser_response), data,
                         chooser_data_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (*chooser));
}

/* Closes and drops the chooser @chooser holds, if any: it answers no more. */
void
loom_dialog_clear_chooser (GtkFileChooserNative **chooser)
{
  g_return_if_fail (chooser != NULL);

  if (*chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (*chooser));
  g_clear_object (chooser);
}
