import { NewDocumentButton } from './_components/home/new-document-button'
import { RecentList } from './_components/home/recent-list'

export default function HomePage() {
  return (
    <main className="home">
      <h1>cowrite</h1>
      <p>Write together in real time. Create a document, then share its edit or view link.</p>
      <NewDocumentButton />
      <RecentList />
    </main>
  )
}
