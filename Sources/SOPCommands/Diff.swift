import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPDiff
import SOPWorkspace

/// `sop diff OLD NEW`, `sop diff --git REV [PATH…]`, and git's external diff driver
/// (`--git-external`): what a revision of an SOP changes, in its own terms. Exit status like
/// `diff`: 0 no semantic change, 1 changes, 2 trouble (the driver: 0 unless trouble).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What a revision of an SOP changes: identity, actors, steps, flow, working days, diagnostics.",
        discussion: """
        Compares what the compiler reads, not the text: key order, comments, quoting and line \
        wrapping never show. Steps are matched by `id`, then by their action's words, place \
        and actor. Times are given with their meaning in working days; the longest path and \
        the SLA before and after.
          sop diff OLD.yaml NEW.yaml
          sop diff --git HEAD~1 [PATH…]      the working tree against a revision, files matched by `id`
        As git's diff driver (see Docs/Diff.md):
          echo '*.yaml diff=sop' >> .gitattributes
          git config diff.sop.command 'sop diff --git-external'
        --format markdown writes a change note (Riwayat Perubahan) to paste into a review.
        Exit status: 0 no semantic change, 1 changes, 2 trouble (unreadable file, a file with \
        errors, a bad revision). With --git-external: 0 unless trouble (git stops at a non-zero \
        driver).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @Argument(help: "OLD.yaml NEW.yaml; with --git, the paths to compare (default: the current folder).")
    var files: [String] = []

    @Option(name: .customLong("git"), help: "Compare the working tree with this git revision (HEAD~1, a tag, a hash).")
    var revision: String?

    @Flag(name: .customLong("git-external"), help: "Run as git's external diff driver (7 or 9 arguments from git).")
    var gitExternal = false

    @Option(name: .long, help: "text, markdown or json.")
    var format: Format = .text

    @Option(name: .long, help: "Language: en or id (default from LANG).")
    var lang: String?

    @Option(name: .long, help: "Colour: auto (only on a terminal, honours NO_COLOR), always, never.")
    var color: OutputOptions.ColorChoice = .auto

    func validate() throws {
        if gitExternal {
            if revision != nil { throw ValidationError("--git-external and --git cannot be used together") }
            if files.count != 7 && files.count != 9 {
                throw ValidationError("--git-external expects the 7 (or 9) arguments git gives an external diff driver, not \(files.count)")
            }
        } else if revision == nil, files.count != 2 {
            throw ValidationError("give two files (sop diff OLD.yaml NEW.yaml) or a revision (sop diff --git REV [PATH…])")
        }
    }

    func run() throws {
        let language = try parseLanguage(lang)
        let useColor: Bool
        switch color {
        case .always: useColor = true
        case .never: useColor = false
        case .auto: useColor = format == .text && terminalWantsColor(STDOUT_FILENO)
        }
        var result = Revisions.Result()
        do {
            if let revision {
                let repository = try GitRepository()
                result = try Revisions.compareWorkingTree(with: revision, paths: files, repository: repository)
            } else if gitExternal {
                // path old-file old-hex old-mode new-file new-hex new-mode [new-path rename-info]
                let name = files[0], newName = files.count == 9 ? files[7] : files[0]
                let old = files[1] == "/dev/null" ? nil : try load(files[1], as: "a/" + name)
                let new = files[4] == "/dev/null" ? nil : try load(files[4], as: "b/" + newName)
                Revisions.compare(old: old, new: new, into: &result)
            } else {
                Revisions.compare(old: try Workspace.load(files[0]), new: try Workspace.load(files[1]), into: &result)
            }
        } catch let error as Workspace.InputError {
            printError(error.description + "\n")
            throw ExitCode(2)
        } catch let error as GitRepository.Failure {
            printError(error.description + "\n")
            throw ExitCode(2)
        }
        if !result.failed.isEmpty {
            // Each file's errors are in source order already.
            printError(Check.report(result.errors, files: result.failed.count, sources: result.sources, format: .human, language: language,
                                    color: color == .always || (color == .auto && terminalWantsColor(STDERR_FILENO))))
            printError(Message(en: "sop diff: cannot compare a file with errors: \(result.failed.joined(separator: ", "))",
                               id: "sop diff: berkas dengan galat tidak dapat dibandingkan: \(result.failed.joined(separator: ", "))").text(language) + "\n")
            throw ExitCode(2)
        }
        let renderer = DiffRenderer(language: language, color: useColor)
        let single = revision == nil ? result.files.first?.diff : nil
        let text: String
        switch format {
        case .text: text = single.map(renderer.text) ?? renderer.text(result.files)
        case .markdown: text = single.map(renderer.markdown) ?? renderer.markdown(result.files)
        case .json: text = single.map(DiffRenderer.json) ?? DiffRenderer.json(result.files, revision: revision)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        if result.hasChanges && !gitExternal { throw ExitCode(1) }
    }

    func load(_ path: String, as name: String) throws -> SourceFile {
        let source = try Workspace.load(path)
        return SourceFile(path: name, bytes: source.bytes)
    }
}
