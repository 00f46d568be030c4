-- Build description for netcat-chat: `premake5 vs2022` on Windows, `premake4 --file=premake5.lua gmake` on Debian.

-------------------------------------------------------------------------------------------------
-- premake4 compatibility. Debian ships only premake4 4.3, whose API predates filters; these few
-- definitions map the premake5 calls used below onto it so one file serves both. Nothing below
-- this section should need to know which premake runs it.
-------------------------------------------------------------------------------------------------
if _PREMAKE_VERSION:sub(1, 1) == "4" then
  local premake4_files = files
  local premake4_excludes = excludes
  local active_terms = {}

  workspace = solution

  -- "configurations:Debug" -> "Debug", "system:not windows" -> "not windows": premake4 matches
  -- bare keywords against the configuration name, the action and the target OS.
  local function translateTerm(term)
    local prefix, value = term:match("^(%w+):(.+)$")
    if prefix == nil then
      error("premake4 shim: filter term needs a prefix: " .. term)
    end
    if prefix ~= "configurations" and prefix ~= "system" and prefix ~= "action" then
      error("premake4 shim: unsupported filter prefix: " .. prefix)
    end
    return value
  end

  function filter(terms)
    if type(terms) == "string" then terms = { terms } end
    active_terms = terms
    local keywords = {}
    for _, term in ipairs(terms) do table.insert(keywords, translateTerm(term)) end
    if #keywords == 0 then keywords = { "*" } end
    configuration(keywords)
  end

  -- premake4 keeps one file list per project, deaf to configuration blocks, so a filtered file
  -- list is decided now; only the target OS and the action are known at this point.
  local function filterHoldsNow()
    for _, term in ipairs(active_terms) do
      local prefix, value = term:match("^(%w+):(.+)$")
      local negate = value:sub(1, 4) == "not "
      if negate then value = value:sub(5) end
      local subject
      if prefix == "system" then
        subject = os.get()
      elseif prefix == "action" then
        subject = _ACTION
      else
        error("premake4 shim: file lists cannot depend on " .. prefix)
      end
      local pattern = "^" .. value:gsub("%*", ".*") .. "$"
      if (subject:lower():match(pattern:lower()) ~= nil) == negate then return false end
    end
    return true
  end

  function files(list)
    if filterHoldsNow() then premake4_files(list) end
  end

  function removefiles(list)
    if filterHoldsNow() then premake4_excludes(list) end
  end

  function symbols(value)
    if value == "On" then flags { "Symbols" } end
  end

  function optimize(value)
    if value == "On" or value == "Speed" or value == "Full" then flags { "Optimize" } end
  end

  function warnings(value)
    if value == "Extra" then buildoptions { "-Wall", "-Wextra" } end
  end

  function fatalwarnings(list)
    if list[1] == "All" then flags { "FatalWarnings" } end
  end

  function cppdialect(value)
    buildoptions { "-std=" .. value:lower() }
  end

  -- Makefiles live under build/, so relative paths in raw options would resolve from there.
  function externalincludedirs(list)
    for _, dir in ipairs(list) do buildoptions { "-isystem " .. path.getabsolute(dir) } end
  end

  function architecture(value)
    if value == "x86_64" then
      buildoptions { "-m64" }
      linkoptions { "-m64" }
    end
  end

  -- Neither has a premake4 counterpart worth having: make builds every project anyway, and
  -- MSVC's AddressSanitizer is only reachable from premake5's Visual Studio actions.
  function dependson(_) end
  function sanitize(_) end

  function targetOs() return os.get() end
else
  function targetOs() return os.target() end
end

-------------------------------------------------------------------------------------------------
-- The build.
-------------------------------------------------------------------------------------------------
newoption {
  trigger = "boost",
  value = "DIR",
  description = "Directory holding boost/ when the compiler does not find it by itself",
}

-- Debug, Release and Sanitize are what people and CI build. Profile (Release's code with symbols)
-- and NoPause (the same without the gather pause of src/server/server.cpp) are the benchmark's;
-- Fuzz builds the libFuzzer targets, with clang: make config=fuzz CC=clang CXX=clang++.
local kConfigurations = { "Debug", "Release", "Sanitize", "Profile", "NoPause", "Fuzz" }
local kTargetOs = targetOs()
-- Native and cross builds share one checkout, so everything generated is split by target OS.
newoption {
  trigger = "build-dir",
  value = "DIR",
  description = "Where the makefiles and objects go (default build/<os>); scripts/fuzz.sh uses its own",
}
local kBuildDir = _OPTIONS["build-dir"] or ("build/" .. kTargetOs)

-- A MinGW cross build must not see the host's /usr/include, so scripts/test.sh links only its
-- boost/ into this directory. Visual Studio users pass --boost or rely on vcpkg's integration.
local function boostIncludeDir()
  if _OPTIONS["boost"] ~= nil then return _OPTIONS["boost"] end
  if kTargetOs == "windows" and not _ACTION:match("^vs") then
    return kBuildDir .. "/boost-include"
  end
  return nil
end

-- The browser page is its own file, src/web/page.html; this writes its bytes out as a C array
-- list (one 0 byte more, so it is never empty) that src/web/page.cpp includes. It runs each time
-- premake does (the scripts run premake before make) and rewrites the list only when the page
-- changed, so make rebuilds only then.
local kGeneratedDir = kBuildDir .. "/generated"
local function embedFile(source, target)
  local input = assert(io.open(source, "rb"))
  local data = input:read("*a")
  input:close()
  local parts = {}
  for i = 1, #data do
    parts[#parts + 1] = string.format("0x%02x,", data:byte(i))
    if i % 16 == 0 then parts[#parts + 1] = "\n" end
  end
  parts[#parts + 1] = "0x00\n"
  local text = table.concat(parts)
  local existing = io.open(target, "rb")
  if existing ~= nil then
    local same = existing:read("*a") == text
    existing:close()
    if same then return end
  end
  os.mkdir(path.getdirectory(target))
  local output = assert(io.open(target, "wb"))
  output:write(text)
  output:close()
end
local kScriptDir = path.getdirectory(path.getabsolute(_SCRIPT))
embedFile(kScriptDir .. "/src/web/page.html", kScriptDir .. "/" .. kGeneratedDir .. "/web_page.inc")

-- Every project's outputs: bin/<os>/<config>/, objects in build/<os>/obj/<config>/<project>.
local function outputDirectories(project_name)
  for _, config in ipairs(kConfigurations) do
    filter { "configurations:" .. config }
      targetdir("bin/" .. kTargetOs .. "/" .. config)
      objdir(kBuildDir .. "/obj/" .. config .. "/" .. project_name)
  end
  filter {}
end

-- MinGW's runtime DLLs are not on a Windows user's PATH; link them in so the .exe stands alone.
local kLayers = { "server", "client", "faces", "web", "chat", "platform" }
local function consoleAppLinks()
  links(kLayers)
  filter { "system:windows" }
    links { "ws2_32" }
  filter { "system:windows", "action:not vs*" }
    linkoptions { "-static", "-static-libgcc", "-static-libstdc++" }
  filter {}
end

workspace "netcat-chat"
  configurations(kConfigurations)
  location(kBuildDir)
  language "C++"
  cppdialect "C++17"
  warnings "Extra"
  fatalwarnings { "All" }

  filter { "system:windows" }
    architecture "x86_64"

  filter { "configurations:Debug" }
    symbols "On"
    defines { "DEBUG" }

  filter { "configurations:Release" }
    optimize "On"
    defines { "NDEBUG" }

  filter { "configurations:Sanitize" }
    symbols "On"
    defines { "DEBUG" }

  -- -O1 keeps sanitized tests fast without the false -Werror alarms GCC raises at -O2 under ASan;
  -- no recovery, so any report ends the run with a failure.
  filter { "configurations:Sanitize", "system:not windows" }
    buildoptions {
      "-O1",
      "-fsanitize=address,undefined",
      "-fno-omit-frame-pointer",
      "-fno-sanitize-recover=all",
    }
    linkoptions { "-fsanitize=address,undefined" }

  filter { "configurations:Sanitize", "action:vs*" }
    sanitize { "Address" }

  filter { "configurations:Profile" }
    optimize "On"
    symbols "On"
    defines { "NDEBUG" }

  filter { "configurations:NoPause" }
    optimize "On"
    symbols "On"
    defines { "NDEBUG", "NETCAT_CHAT_GATHER_PAUSE_US=0" }

  -- Every object is instrumented for the fuzzer; only the targets link its main (below).
  filter { "configurations:Fuzz" }
    symbols "On"
    defines { "DEBUG" }
    buildoptions {
      "-O1",
      "-fsanitize=fuzzer-no-link,address,undefined",
      "-fno-sanitize-recover=all",
      "-fno-omit-frame-pointer",
    }
    linkoptions { "-fsanitize=fuzzer,address,undefined" }

  -- Under fatal warnings MSVC would stop at its "use fopen_s instead" advice (C4996) for the
  -- standard C functions used on purpose alike on every platform, and at comments it cannot
  -- read in the machine's code page (C4819): the sources are UTF-8.
  filter { "action:vs*" }
    defines { "_CRT_SECURE_NO_WARNINGS" }
    buildoptions { "/utf-8" }

  filter {}

-- One static library per layer, so the layers show in the build as they do in src/. The link
-- lists them from the top down (consoleAppLinks), the order in which a static link resolves them:
-- a layer that calls up into another fails to link, unless the code it calls is linked for
-- someone above anyway.
--   platform  sockets, terminals, consoles, files (the only code that knows the system)
--   chat      the chat itself, with no sockets
--   faces     ways in that do not speak netcat (IRC), over chat
--   web       the page built into the binary
--   server    the select() loop, listeners, the web port, options and logs, over all of those
--   client    --connect, over chat and platform
local function layer(name, sources)
  project(name)
    kind "StaticLib"
    location(kBuildDir)
    includedirs { "src", "platform" }
    files(sources)
    outputDirectories(name)
end

project "platform"
  kind "StaticLib"
  location(kBuildDir)
  includedirs { "platform" }
  files { "platform/net.hpp", "platform/net_shared.hpp", "platform/file.hpp", "platform/file.cpp" }
  files { "platform/terminal.hpp" }
  filter { "system:windows" }
    files { "platform/net_win.cpp", "platform/terminal_win.cpp", "platform/file_win.cpp" }
  filter { "system:not windows" }
    files { "platform/net_posix.cpp", "platform/terminal_posix.cpp", "platform/file_posix.cpp" }
  filter {}
  outputDirectories("platform")

layer("chat", { "src/chat/**.cpp", "src/chat/**.hpp" })
layer("faces", { "src/faces/**.cpp", "src/faces/**.hpp" })
layer("server", { "src/server/**.cpp", "src/server/**.hpp" })
layer("client", { "src/client/**.cpp", "src/client/**.hpp" })

project "web"
  kind "StaticLib"
  location(kBuildDir)
  includedirs { "src", kGeneratedDir }
  files { "src/web/**.cpp", "src/web/**.hpp" }
  outputDirectories("web")

project "netcat-chat"
  kind "ConsoleApp"
  location(kBuildDir)
  includedirs { "src", "platform" }
  files { "src/main.cpp" }
  consoleAppLinks()
  outputDirectories("netcat-chat")

-- The compile settings of the tests, which their precompiled header (tests_pch) must share: GCC
-- uses a precompiled header only when it was compiled with the same options.
local function testsCompileSettings()
  includedirs { "src", "platform", "tests" }
  if boostIncludeDir() ~= nil then externalincludedirs { boostIncludeDir() } end
  -- The tests' own code unoptimised under the sanitizers: every access is still checked (none is
  -- optimised away), and it compiles in about a third of the time of -O1 (docs/CI.md). The code
  -- under test, the layers and the server the end-to-end tests start, keep the workspace's -O1.
  filter { "configurations:Sanitize", "system:not windows" }
    buildoptions { "-O0" }
  filter {}
end

-- Boost.Test's header takes about a second to read, in each of some eighty test files, in every
-- configuration; compiled once per configuration instead (docs/CI.md). premake4's gmake only (the
-- Debian and MinGW builds): its rule compiles the header before the project's objects, but not
-- before other rules run, so the header has a project of its own, which the tests link (an
-- empty library) and so are built after; every test file then starts with it (-include).
local kTestsPch = _PREMAKE_VERSION:sub(1, 1) == "4"
if kTestsPch then
  project "tests_pch"
    kind "StaticLib"
    location(kBuildDir)
    testsCompileSettings()
    pchheader "tests/tests_pch.hpp"
    files { "tests/tests_pch.hpp" }
    outputDirectories("tests_pch")
end

project "tests"
  kind "ConsoleApp"
  location(kBuildDir)
  testsCompileSettings()
  files { "tests/**.cpp", "tests/**.hpp" }
  if kTestsPch then
    links { "tests_pch" }
    for _, config in ipairs(kConfigurations) do
      filter { "configurations:" .. config }
        buildoptions { "-Winvalid-pch", "-include obj/" .. config .. "/tests_pch/tests_pch.hpp" }
    end
    filter {}
  end
  -- libFuzzer targets need clang's fuzzer runtime; scripts/fuzz.sh builds them on its own.
  removefiles { "tests/fuzz/**" }
  -- The benchmark tools have mains of their own; they are the projects below.
  removefiles { "tests/bench_tools/**" }
  -- The end-to-end tests drive the server from Linux (through Wine for the .exe), not from Windows;
  -- *_posix_test.cpp check what only POSIX does.
  filter { "system:windows" }
    removefiles { "tests/e2e/**", "tests/support/*_posix.cpp", "tests/reliability/**" }
    removefiles { "tests/**_posix_test.cpp" }
  -- *_win_test.cpp check what only Windows does (console control events, for one).
  filter { "system:not windows" }
    removefiles { "tests/**_win_test.cpp" }
  filter {}
  dependson { "netcat-chat" }
  consoleAppLinks()
  outputDirectories("tests")

-------------------------------------------------------------------------------------------------
-- More projects go here (a load generator for benchmarks, fuzz targets, ...). Copy the shape of
-- "tests": kind, location(kBuildDir), includedirs, files, consoleAppLinks() when it needs
-- the layers, and outputDirectories("<name>") last so its outputs land beside the others.
-------------------------------------------------------------------------------------------------

-- Benchmark tools driven by scripts/bench.sh. Linux only: the load generator uses epoll and reads
-- the server's CPU time and peak memory in /proc. Neither links the layers: they measure the server
-- from outside, as any client would.
if kTargetOs == "linux" then
  project "loadgen"
    kind "ConsoleApp"
    location(kBuildDir)
    files { "tests/bench_tools/loadgen.cpp" }
    outputDirectories("loadgen")

  project "relay"
    kind "ConsoleApp"
    location(kBuildDir)
    files { "tests/bench_tools/relay.cpp" }
    outputDirectories("relay")
end

-- The libFuzzer targets of tests/fuzz, one project each, driven by scripts/fuzz.sh. Linux only,
-- and only in the Fuzz configuration, whose compiler is clang: their main is libFuzzer's, so
-- they are left out of the makefiles unless asked for (scripts/fuzz.sh passes --fuzz-targets
-- with a build directory of its own), and a plain `make` never tries to link them.
newoption {
  trigger = "fuzz-targets",
  description = "Also generate the libFuzzer targets (build them with config=fuzz and clang)",
}
if kTargetOs == "linux" and _OPTIONS["fuzz-targets"] then
  for _, target in ipairs({ "fuzz_input", "fuzz_chat", "fuzz_http_request", "fuzz_websocket",
                            "fuzz_proxy_header", "fuzz_address", "fuzz_irc", "fuzz_irc_face" }) do
    project(target)
      kind "ConsoleApp"
      location(kBuildDir)
      includedirs { "src", "platform", "tests" }
      files { "tests/fuzz/" .. target .. ".cpp", "tests/fuzz/*.hpp" }
      links(kLayers)
      outputDirectories(target)
  end
end
