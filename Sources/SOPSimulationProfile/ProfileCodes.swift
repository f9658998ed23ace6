import SOPDiagnostics

/// The codes of the simulation profile's diagnostics, documented for `sop explain`.
public enum ProfileCodes {
    public struct Entry: Sendable {
        public var code: String
        public var name: String
        public var summary: Message
        public var explanation: Message
        public var example: String
        public var fix: Message
    }

    public static let entries: [Entry] = [
        Entry(code: "E0701", name: "profile-value", summary: Message(en: "A profile value has the wrong form.", id: "Nilai profil salah bentuk."),
              explanation: Message(en: "The simulator needs numbers, times (`4 jam`, `2 hari kerja`), hours (`08:00-16:00`) and dates where the profile schema says so.",
                                   id: "Simulator memerlukan angka, waktu (`4 jam`, `2 hari kerja`), jam (`08:00-16:00`) dan tanggal sesuai skema profil."),
              example: "arrivals:\n  per_working_day: banyak\n", fix: Message(en: "Write the value in the form the schema gives.", id: "Tulis nilai dalam bentuk yang diberikan skema.")),
        Entry(code: "E0702", name: "profile-unknown-key", summary: Message(en: "A profile key is not known.", id: "Kunci profil tidak dikenal."),
              explanation: Message(en: "A misspelt key would silently fall back to a default and change the figures.",
                                   id: "Kunci yang salah eja akan diam-diam memakai nilai bawaan dan mengubah hasil."),
              example: "arivals: {per_working_day: 10}\n", fix: Message(en: "Use the suggested key (grammar/sop-simulation-profile.schema.json lists them).", id: "Pakai kunci yang disarankan (grammar/sop-simulation-profile.schema.json mendaftarnya).")),
        Entry(code: "E0703", name: "profile-unknown-step", summary: Message(en: "The profile names a step, branch or timer the SOP lacks.", id: "Profil menyebut langkah, cabang atau timer yang tidak ada di SOP."),
              explanation: Message(en: "Steps are named by their `id` or table number, branches by their label, timers by their step and `goto`.",
                                   id: "Langkah disebut dengan `id` atau nomor tabelnya, cabang dengan labelnya, timer dengan langkah dan `goto`-nya."),
              example: "steps:\n  verifkasi: {duration: 2 jam}\n", fix: Message(en: "Use a name of the SOP (the suggestion, or `sop paths FILE`).", id: "Pakai nama yang ada di SOP (saran, atau `sop paths FILE`).")),
        Entry(code: "E0704", name: "profile-unknown-actor", summary: Message(en: "The profile staffs an actor the SOP lacks.", id: "Profil menempatkan staf untuk pelaksana yang tidak ada di SOP."),
              explanation: Message(en: "Staff are given per actor key of the SOP's `actors:`.", id: "Staf diberikan per kunci pelaksana di `actors:` SOP."),
              example: "staff:\n  admn: {people: 2}\n", fix: Message(en: "Use an actor key of the SOP.", id: "Pakai kunci pelaksana SOP.")),
        Entry(code: "E0705", name: "profile-probabilities", summary: Message(en: "Probabilities do not sum to one.", id: "Jumlah peluang tidak sama dengan satu."),
              explanation: Message(en: "Branch probabilities of a decision, and the class mix, share all cases between them: they must sum to 1 (within 0.001).",
                                   id: "Peluang cabang suatu keputusan, dan campuran kelas, membagi semua kasus: jumlahnya harus 1 (selisih paling banyak 0,001)."),
              example: "steps:\n  verifikasi: {branches: {ya: 0.7, tidak: 0.2}}\n", fix: Message(en: "Make them sum to 1.", id: "Jadikan jumlahnya 1.")),
        Entry(code: "E0706", name: "profile-range", summary: Message(en: "A profile value is negative or absurd.", id: "Nilai profil negatif atau tidak masuk akal."),
              explanation: Message(en: "Negative times, shares above 1, no people, or hours outside the day cannot be simulated.",
                                   id: "Waktu negatif, bagian di atas 1, nol orang, atau jam di luar hari tidak dapat disimulasikan."),
              example: "staff:\n  admin: {people: 0}\n", fix: Message(en: "Give a value in the allowed range.", id: "Berikan nilai dalam rentang yang diizinkan.")),
        Entry(code: "E0707", name: "profile-arrivals-csv", summary: Message(en: "The arrivals CSV cannot be read.", id: "CSV kedatangan tidak dapat dibaca."),
              explanation: Message(en: "Replayed arrivals are one date-time per line (`2026-01-05 08:15`, first column), optionally after a header.",
                                   id: "Kedatangan yang diputar ulang berupa satu tanggal-waktu per baris (`2026-01-05 08:15`, kolom pertama), boleh didahului judul."),
              example: "arrivals: {csv: kedatangan.csv}\n", fix: Message(en: "Fix the named line, or the path (relative to the profile).", id: "Perbaiki baris yang disebut, atau jalurnya (relatif terhadap profil).")),
        Entry(code: "E0708", name: "nothing-to-simulate", summary: Message(en: "The SOP has no step to simulate.", id: "SOP tidak memiliki langkah untuk disimulasikan."),
              explanation: Message(en: "A draft whose table is not written yet (`steps: []`) has no time, actor or end for a case to take.",
                                   id: "Draf yang tabelnya belum ditulis (`steps: []`) tidak memiliki waktu, pelaksana atau akhir untuk dilalui kasus."),
              example: "draft: true\nsteps: []\n", fix: Message(en: "Write the SOP's steps first.", id: "Tulis langkah-langkah SOP terlebih dahulu.")),
    ]

    public static func entry(_ code: String) -> Entry? {
        entries.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }
}
