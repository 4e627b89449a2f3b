#!/bin/sh
# Per-user install of the ContractReview bundle on Linux: no administrator rights, nothing outside $HOME.
#
#   sh packaging/linux/install-user.sh [BUNDLE_DIR]      # default BUNDLE_DIR: dist/contractreview
#   sh packaging/linux/install-user.sh --uninstall
#
# Puts the one-folder bundle in ~/.local/lib/contractreview, links contractreview and
# contractreview-gui into ~/.local/bin, and registers the menu entry, icons, AppStream metadata and
# "Open with ContractReview" for PDF and Word (.docx) files. PREFIX (default ~/.local) moves all of it.
# Reviews and settings are not touched by install or uninstall: they live in the platformdirs user
# folders (~/.local/share/ContractReview, ~/.config/ContractReview).
set -eu

APP_ID=org.contractreview.ContractReview
HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
REPO=$(CDPATH= cd -- "$HERE/../.." && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
if [ -n "${XDG_DATA_HOME:-}" ] && [ "$PREFIX" = "$HOME/.local" ]; then DATA=$XDG_DATA_HOME; else DATA="$PREFIX/share"; fi
LIBDIR="$PREFIX/lib/contractreview"
BINDIR="$PREFIX/bin"
APPS="$DATA/applications"
ICONS="$DATA/icons/hicolor"
METAINFO="$DATA/metainfo"
SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
    # Optional desktop tools; absent on minimal systems, which is fine.
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf -- "$LIBDIR"
    for exe in contractreview contractreview-gui; do
        if [ -L "$BINDIR/$exe" ]; then rm -f -- "$BINDIR/$exe"; fi
    done
    rm -f -- "$APPS/$APP_ID.desktop" "$METAINFO/$APP_ID.metainfo.xml"
    for s in $SIZES; do rm -f -- "$ICONS/${s}x${s}/apps/$APP_ID.png"; done
    rm -f -- "$ICONS/scalable/apps/$APP_ID.svg"
    refresh_caches
    echo "ContractReview removed from $PREFIX (your reviews and settings were kept)."
    exit 0
fi

BUNDLE=${1:-"$REPO/dist/contractreview"}
if [ ! -x "$BUNDLE/contractreview-gui" ] || [ ! -x "$BUNDLE/contractreview" ]; then
    echo "install-user.sh: no bundle at $BUNDLE (build it first: python3 packaging/build_bundle.py)" >&2
    exit 1
fi
# Icons: from the bundle (resources are inside it), else from the checkout.
ICON_SRC="$BUNDLE/_internal/contractreview/resources/icons"
[ -d "$ICON_SRC" ] || ICON_SRC="$REPO/resources/icons"

mkdir -p "$PREFIX/lib" "$BINDIR" "$APPS" "$METAINFO"
# Copy to a temporary folder first, then swap, so a failed copy never leaves half an app behind.
rm -rf -- "$LIBDIR.new"
cp -R -- "$BUNDLE" "$LIBDIR.new"
rm -rf -- "$LIBDIR"
mv -- "$LIBDIR.new" "$LIBDIR"
for exe in contractreview contractreview-gui; do
    ln -sfn -- "$LIBDIR/$exe" "$BINDIR/$exe"
done

# The menu entry runs the installed program by absolute path (~/.local/bin is not on every PATH).
sed -e "s|^Exec=contractreview-gui|Exec=\"$LIBDIR/contractreview-gui\"|" \
    -e "s|^TryExec=contractreview-gui|TryExec=$LIBDIR/contractreview-gui|" \
    "$HERE/$APP_ID.desktop" > "$APPS/$APP_ID.desktop"
cp -- "$HERE/$APP_ID.metainfo.xml" "$METAINFO/$APP_ID.metainfo.xml"
for s in $SIZES; do
    if [ -f "$ICON_SRC/contractreview-$s.png" ]; then
        mkdir -p "$ICONS/${s}x${s}/apps"
        cp -- "$ICON_SRC/contractreview-$s.png" "$ICONS/${s}x${s}/apps/$APP_ID.png"
    fi
done
if [ -f "$ICON_SRC/contractreview.svg" ]; then
    mkdir -p "$ICONS/scalable/apps"
    cp -- "$ICON_SRC/contractreview.svg" "$ICONS/scalable/apps/$APP_ID.svg"
fi
refresh_caches

echo "ContractReview installed in $LIBDIR"
echo "  menu entry: $APPS/$APP_ID.desktop (Open with ContractReview for .pdf and .docx)"
case ":$PATH:" in
    *":$BINDIR:"*) echo "  commands:   contractreview, contractreview-gui" ;;
    *) echo "  commands:   $BINDIR/contractreview (add $BINDIR to PATH to type just 'contractreview')" ;;
esac
