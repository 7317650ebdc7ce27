/* test-ui-util.h: what the window tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>

#include "loom-store.h"

G_BEGIN_DECLS

/* Initialises GTest, GTK and libadwaita for a window test, with animations off so that waits end
 * sooner. Without a display it registers one skipped test, "@prefix/no-display", saying how to run
 * them, and returns FALSE: the caller then returns g_test_run (). */
gboolean test_ui_init (int        *argc,
                       char     ***argv,
                       const char *prefix);

/* Real input through the X server, as a person gives it: xdotool clicks WIDGET's centre with the
 * left button, or presses KEYS ("F9", "alt+Left", "Escape") in WINDOW, and returns once it is
 * done. Without X11 or xdotool they (and test_ui_drag) skip the test and return FALSE. */
gboolean test_ui_click (GtkWidget  *widget);
gboolean test_ui_press (GtkWindow  *window,
                        const char *keys);

/* Moves the pointer onto WIDGET's centre, as a hand does before it clicks. */
gboolean test_ui_hover (GtkWidget  *widget);

/* Clicks BUTTON (1 left, 3 right) at X, Y of WIDGET (in its own coordinates): a word in a
 * text view, say. */
gboolean test_ui_click_at (GtkWidget  *widget,
                           double      x,
                           double      y,
                           guint       button);

/* Types TEXT into the focused widget of WINDOW, key by key, as a person types. */
gboolean test_ui_type  (GtkWindow  *window,
                        const char *text);

/* Presses the left button on WIDGET's centre, moves the pointer DX pixels sideways and lets go,
 * as a person drags a handle. */
gboolean test_ui_drag  (GtkWidget  *widget,
                        int         dx);

/* Presses the left button on FROM's centre, moves the pointer in steps onto TO, at Y_FRACTION
 * of its height (0.25: its upper half), and lets go there: a drag and drop by the mouse. FROM
 * and TO are in the same window. */
gboolean test_ui_drag_onto (GtkWidget *from,
                            GtkWidget *to,
                            double     y_fraction);

/* Presses the left button at X0, Y0 of WIDGET (in its own coordinates), moves the pointer in
 * steps to X1, Y1 and lets go: a drag and drop inside one widget, such as a text view's
 * selection dragged elsewhere in its text. */
gboolean test_ui_drag_within (GtkWidget *widget,
                              double     x0,
                              double     y0,
                              double     x1,
                              double     y1);

/* The first mapped label below ROOT whose text (without mnemonic underscores) is TEXT: a menu
 * item's, for instance, to click. */
GtkWidget *test_ui_find_label    (GtkWidget  *root,
                                  const char *text);

/* Clicks BUTTON, waits for its menu to be on screen and clicks the item labelled LABEL (its
 * text, without the mnemonic underscore), as a person picks a menu item. */
gboolean test_ui_click_menu_item (GtkMenuButton *button,
                                  const char    *label);

/* The first mapped button below ROOT labelled LABEL (with its mnemonic underscore): a dialog may
 * hold a second, unmapped copy of each response button for its other layout. */
GtkWidget *test_ui_find_button   (GtkWidget  *root,
                                  const char *label);

/* Waits until WINDOW's toast shows a button labelled LABEL ("_Undo", with its mnemonic
 * underscore) and it has stopped sliding in, then clicks it with the pointer. */
gboolean test_ui_click_toast_button (GtkWindow  *window,
                                     const char *label);

/* Destroys *WINDOW and waits until it is finalized, then closes *STORE and removes the folder
 * *DIR: the window goes first, as its views still hold the store's objects. Clears all three. */
void test_ui_close_window (GtkWindow **window,
                           LoomStore **store,
                           char      **dir);

/* A window of the test program's one real LoomApplication (its accelerators are the writer's
 * keys) on STORE, WIDTH × HEIGHT, presented; returns once it is mapped and the keyboard is
 * where the window starts it. A new reference: close it with test_ui_close_window (). */
GtkWindow *test_ui_present_window (LoomStore *store,
                                   int        width,
                                   int        height);

/* Lets WIDGET be drawn where it now lies (three frames) before the pointer goes there: a
 * click aimed while something above it is still growing lands beside it. */
void test_ui_settle (GtkWidget *widget);

/* Conditions for test_spin_until () on a widget. */
gboolean test_ui_mapped    (gpointer widget);
gboolean test_ui_allocated (gpointer widget);
gboolean test_ui_has_focus (gpointer widget);

/* The visible toplevel window of TYPE, or NULL. */
GtkWindow *test_ui_find_toplevel (GType       type);

/* The visible AdwMessageDialog (a question or a prompt for a name), or NULL; a condition for
 * test_spin_until () that it is there. */
AdwMessageDialog *test_ui_find_message_dialog  (void);
gboolean          test_ui_message_dialog_shown (gpointer data);

/* Clicks the button labelled LABEL ("_Delete", with its mnemonic underscore) of the open
 * AdwMessageDialog with the pointer, and waits until the dialog has closed. */
gboolean          test_ui_click_response       (const char *label);

G_END_DECLS
