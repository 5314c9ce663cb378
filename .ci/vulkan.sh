#!/usr/bin/env bash
# Provides a software Vulkan driver so the webgpu backend's tests can run in Node (Dawn through the `webgpu`
# package) on a CI machine without a GPU.
#
#   bash .ci/vulkan.sh && . .cache/vulkan/env.sh
#
# Route 1: Mesa's lavapipe from Debian bookworm-backports (Mesa 25; bookworm's own Mesa 22 gives no adapter),
#          fetched with a private apt configuration and unpacked into the cache folder: the system's sources
#          and packages are left as they are.
# Route 2: SwiftShader's Vulkan driver shipped in Debian's chromium package (slower, no download).
# Whatever happens this script exits 0: without a driver the GPU tests skip with a message, the run goes on.
# Writes $GRAFT_VULKAN_DIR/env.sh (default <repo>/.cache/vulkan/env.sh) and prints the same export lines.
# Idempotent: a driver unpacked by an earlier run is reused.
# GRAFT_VULKAN_PREFER=swiftshader tries SwiftShader first (it compiles shaders faster: quicker on tiny test
# models with a cold cache; lavapipe runs them faster: better for benchmarks).
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${GRAFT_VULKAN_DIR:-$ROOT/.cache/vulkan}"
ENV_FILE="$DIR/env.sh"
LVP="$DIR/lavapipe"
START=$SECONDS

log() { echo "[vulkan.sh] $*" >&2; }

mkdir -p "$DIR" || { log "cannot create $DIR; no Vulkan driver"; exit 0; }
mkdir -p "$DIR/shader-cache"

# Asks Dawn for an adapter with the given environment; prints the adapter's description. Needs node_modules/webgpu;
# without it (script run before npm ci) the check is skipped and the driver is trusted.
probe() {
  local icd="$1" libs="$2"
  if [ ! -f "$ROOT/node_modules/webgpu/index.js" ] || ! command -v node >/dev/null; then
    echo "not checked (node_modules/webgpu absent)"
    return 0
  fi
  VK_ICD_FILENAMES="$icd" LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    MESA_SHADER_CACHE_DIR="$DIR/shader-cache" GRAFT_WEBGPU_MODULE="$ROOT/node_modules/webgpu/index.js" \
    timeout 120 node --input-type=module -e '
      const { create, globals } = await import(process.env.GRAFT_WEBGPU_MODULE);
      Object.assign(globalThis, globals);
      const adapter = await create([]).requestAdapter();
      if (!adapter) { console.log("no adapter"); process.exit(3); }
      const i = adapter.info ?? {};
      console.log([i.vendor, i.architecture, i.description].filter(Boolean).join(" / ") || "adapter without info");
      process.exit(0);
    ' 2>&1 | tail -n 1
  return "${PIPESTATUS[0]}"
}

# Writes env.sh for one driver and prints its lines.
emit() {
  local driver="$1" icd="$2" libs="$3" adapter="$4" needs_libs="$5"
  {
    echo "# written by .ci/vulkan.sh: $driver ($adapter)"
    echo "export GRAFT_VULKAN_DRIVER=$driver"
    # 1: the driver only loads with LD_LIBRARY_PATH below, which must be set before node starts.
    echo "export GRAFT_VULKAN_NEEDS_LIBRARY_PATH=$needs_libs"
    echo "export VK_ICD_FILENAMES='$icd'"
    if [ -n "$libs" ]; then echo "export LD_LIBRARY_PATH='$libs'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"; fi
    echo "export MESA_SHADER_CACHE_DIR='$DIR/shader-cache'"
  } >"$ENV_FILE"
  cat "$ENV_FILE"
  log "driver: $driver ($adapter) in $((SECONDS - START)) s; env file: $ENV_FILE"
}

lavapipe_libs() {
  echo "$LVP/root/usr/lib/x86_64-linux-gnu:$LVP/root/lib/x86_64-linux-gnu"
}

# Route 1: fetch mesa-vulkan-drivers from bookworm-backports and the newer libraries it needs into $LVP.
fetch_lavapipe() {
  command -v apt-get >/dev/null || { log "lavapipe: no apt-get"; return 1; }
  command -v dpkg-deb >/dev/null || { log "lavapipe: no dpkg-deb"; return 1; }
  [ "$(uname -m)" = x86_64 ] || { log "lavapipe: only scripted for x86_64"; return 1; }
  grep -q 'bookworm' /etc/os-release 2>/dev/null || log "lavapipe: not Debian 12; trying anyway"
  local apt="$LVP/apt"
  rm -rf "$LVP"
  mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$LVP/debs" "$LVP/root"
  cat >"$apt/sources.list" <<EOF
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian bookworm-backports main
EOF
  # The system's dpkg status decides what is already installed; everything else is private to $apt.
  local opts=(-q -o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=$apt/parts"
    -o "Dir::State=$apt/state" -o "Dir::State::status=/var/lib/dpkg/status" -o "Dir::Cache=$apt/cache"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
  timeout 300 apt-get "${opts[@]}" update >"$LVP/apt-update.log" 2>&1 || {
    log "lavapipe: apt-get update failed (see $LVP/apt-update.log)"
    return 1
  }
  # What installing backports' driver would bring in or upgrade, with versions ...
  local plan
  plan="$(apt-get "${opts[@]}" -s -t bookworm-backports install --no-install-recommends mesa-vulkan-drivers 2>&1)" || {
    log "lavapipe: apt cannot plan mesa-vulkan-drivers from backports: $(echo "$plan" | tail -n 2)"
    return 1
  }
  declare -A version=()
  local name ver
  while read -r name ver; do version[$name]="$ver"; done < <(
    echo "$plan" | sed -nE 's/^Inst ([^ ]+) (\[[^]]*\] )?\(([^ ]+) .*/\1 \3/p')
  [ -n "${version[mesa-vulkan-drivers]:-}" ] || { log "lavapipe: apt plans no mesa-vulkan-drivers"; return 1; }
  # ... restricted to the driver's own dependency closure (the rest of Mesa only upgrades in lockstep).
  declare -A want=([mesa-vulkan-drivers]=1)
  local queue=(mesa-vulkan-drivers) dep
  while [ "${#queue[@]}" -gt 0 ]; do
    name="${queue[0]}"
    queue=("${queue[@]:1}")
    for dep in $(apt-cache "${opts[@]}" show "$name=${version[$name]}" 2>/dev/null |
      sed -nE 's/^(Pre-)?Depends: //p' | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*//; s/:any//; s/ //g'); do
      if [ -n "${version[$dep]:-}" ] && [ -z "${want[$dep]:-}" ]; then
        want[$dep]=1
        queue+=("$dep")
      fi
    done
  done
  local specs=()
  for name in "${!want[@]}"; do specs+=("$name=${version[$name]}"); done
  log "lavapipe: fetching ${specs[*]}"
  (cd "$LVP/debs" && timeout 600 apt-get "${opts[@]}" download "${specs[@]}" >"$LVP/apt-download.log" 2>&1) || {
    log "lavapipe: apt-get download failed (see $LVP/apt-download.log)"
    return 1
  }
  local deb
  for deb in "$LVP"/debs/*.deb; do dpkg-deb -x "$deb" "$LVP/root" || { log "lavapipe: cannot unpack $deb"; return 1; }; done
  local so="$LVP/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so"
  [ -f "$so" ] || { log "lavapipe: libvulkan_lvp.so missing from the unpacked packages"; return 1; }
  # The packaged manifest names the library by its system path; ours points at the unpacked copy.
  cat >"$LVP/lvp_icd.json" <<EOF
{"file_format_version": "1.0.0", "ICD": {"library_path": "$so", "api_version": "1.3.0"}}
EOF
  local missing
  missing="$(LD_LIBRARY_PATH="$(lavapipe_libs)" ldd "$so" 2>&1 | grep 'not found')"
  [ -z "$missing" ] || { log "lavapipe: unresolved libraries: $missing"; return 1; }
  # Only lavapipe and its libraries are kept (and cached): the hardware drivers are of no use without hardware.
  rm -rf "$apt" "$LVP/debs" "$LVP/root/usr/share"
  find "$LVP/root/usr/lib/x86_64-linux-gnu" -name 'libvulkan_*.so' ! -name libvulkan_lvp.so -delete
  return 0
}

# libvulkan.so.1 (the loader) is needed by Dawn; chromium ships its own copy when the system has none.
loader_dir() {
  if ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then return 0; fi
  if [ -f "$LVP/root/usr/lib/x86_64-linux-gnu/libvulkan.so.1" ]; then return 0; fi
  local c
  for c in /usr/lib/chromium/libvulkan.so.1 "$HOME"/.cache/ms-playwright/chromium-*/chrome-linux/libvulkan.so.1; do
    if [ -f "$c" ]; then
      mkdir -p "$DIR/loader" && ln -sf "$c" "$DIR/loader/libvulkan.so.1" && echo "$DIR/loader"
      return 0
    fi
  done
  log "no Vulkan loader (libvulkan.so.1): install libvulkan1"
  return 1
}

try_lavapipe() {
  local icd="$LVP/lvp_icd.json" libs adapter
  if [ -f "$icd" ] && [ -f "$LVP/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so" ]; then
    log "lavapipe: reusing $LVP"
  else
    fetch_lavapipe || return 1
  fi
  libs="$(lavapipe_libs)"
  local loader
  loader="$(loader_dir)" || return 1
  [ -z "$loader" ] || libs="$libs:$loader"
  adapter="$(probe "$icd" "$libs")" || { log "lavapipe: Dawn found no adapter: $adapter"; return 1; }
  local needs=0
  if [ -n "$loader" ] || ldd "$LVP/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so" 2>&1 | grep -q 'not found'; then needs=1; fi
  emit lavapipe "$icd" "$libs" "$adapter" "$needs"
}

try_swiftshader() {
  local icd="" c adapter libs=""
  for c in /usr/lib/chromium/vk_swiftshader_icd.json \
    "$HOME"/.cache/ms-playwright/chromium-*/chrome-linux/vk_swiftshader_icd.json; do
    if [ -f "$c" ]; then icd="$c"; break; fi
  done
  [ -n "$icd" ] || { log "swiftshader: no vk_swiftshader_icd.json (apt-get install chromium)"; return 1; }
  libs="$(loader_dir)" || return 1
  adapter="$(probe "$icd" "$libs")" || { log "swiftshader: Dawn found no adapter: $adapter"; return 1; }
  emit swiftshader "$icd" "$libs" "$adapter" "$([ -n "$libs" ] && echo 1 || echo 0)"
}

if [ "${GRAFT_VULKAN_PREFER:-lavapipe}" = swiftshader ]; then
  try_swiftshader && exit 0
  try_lavapipe && exit 0
else
  try_lavapipe && exit 0
  try_swiftshader && exit 0
fi
rm -f "$ENV_FILE"
log "no Vulkan driver available after $((SECONDS - START)) s; the webgpu tests in Node will be skipped"
exit 0
