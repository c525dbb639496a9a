//! The topics of a deck, and the folders they are in as a tree (`amgi topics`).

use super::Deck;
use crate::card::TopicFilter;
use std::collections::HashMap;
use std::sync::Arc;

/// A topic of the deck: the folders it is in, its name, and its number of cards. Two files of one name in two
/// folders are two topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The folders of its cards, outermost first (see [`crate::Card::folders`]).
    pub folders: Arc<[String]>,
    /// Its name.
    pub topic: String,
    /// How many cards it has.
    pub cards: usize,
}

/// A line of the tree of topics: a folder with the cards of everything in it, or a topic with its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRow<'t> {
    /// How many folders it is in.
    pub depth: usize,
    /// The folder's or the topic's name.
    pub name: &'t str,
    /// Whether it is a folder.
    pub folder: bool,
    /// Its cards; a folder's are those of every topic in it, however deep.
    pub cards: usize,
}

impl Deck {
    /// Each topic of the cards that pass `filter` (questions without an answer aside), with its folders and number
    /// of cards, in order of first appearance.
    pub fn topics(&self, filter: &TopicFilter) -> Vec<Topic> {
        let mut topics: Vec<Topic> = Vec::new();
        let mut index: HashMap<(&[String], &str), usize> = HashMap::new();
        for card in self.filtered(filter).filter(|card| !card.is_question()) {
            match index.get(&(&*card.folders, &*card.topic)) {
                Some(&i) => topics[i].cards += 1,
                None => {
                    index.insert((&card.folders, &card.topic), topics.len());
                    topics.push(Topic {
                        folders: Arc::clone(&card.folders),
                        topic: card.topic.to_string(),
                        cards: 1,
                    });
                }
            }
        }
        topics
    }
}

/// The folders of `topics` as a tree, each folder followed by what is in it (folders and topics, in order of first
/// appearance), each with its cards. Topics in no folder are at depth 0, as they are listed.
pub fn tree(topics: &[Topic]) -> Vec<TopicRow<'_>> {
    enum Child {
        Folder(usize),
        Topic(usize),
    }
    struct Node<'t> {
        name: &'t str,
        cards: usize,
        children: Vec<Child>,
    }
    let mut nodes = vec![Node {
        name: "",
        cards: 0,
        children: Vec::new(),
    }];
    let mut folders: HashMap<(usize, &str), usize> = HashMap::new();
    for (i, topic) in topics.iter().enumerate() {
        let mut at = 0;
        for folder in topic.folders.iter() {
            at = match folders.get(&(at, folder.as_str())) {
                Some(&n) => n,
                None => {
                    nodes.push(Node {
                        name: folder,
                        cards: 0,
                        children: Vec::new(),
                    });
                    let n = nodes.len() - 1;
                    nodes[at].children.push(Child::Folder(n));
                    folders.insert((at, folder), n);
                    n
                }
            };
            nodes[at].cards += topic.cards;
        }
        nodes[at].children.push(Child::Topic(i));
    }
    let mut rows = Vec::with_capacity(topics.len() + nodes.len());
    // Depth first, each folder's children in order: a stack of what is left of each folder open.
    let mut stack = vec![nodes[0].children.iter()];
    loop {
        let depth = stack.len().saturating_sub(1);
        let Some(children) = stack.last_mut() else { break };
        match children.next() {
            None => {
                stack.pop();
            }
            Some(&Child::Topic(i)) => rows.push(TopicRow {
                depth,
                name: &topics[i].topic,
                folder: false,
                cards: topics[i].cards,
            }),
            Some(&Child::Folder(n)) => {
                rows.push(TopicRow {
                    depth,
                    name: nodes[n].name,
                    folder: true,
                    cards: nodes[n].cards,
                });
                stack.push(nodes[n].children.iter());
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(folders: &[&str], topic: &str, cards: usize) -> Topic {
        Topic {
            folders: folders.iter().map(|f| f.to_string()).collect(),
            topic: topic.into(),
            cards,
        }
    }

    fn shown(rows: &[TopicRow]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                format!(
                    "{}{}{} {}",
                    "  ".repeat(r.depth),
                    r.name,
                    if r.folder { "/" } else { "" },
                    r.cards
                )
            })
            .collect()
    }

    #[test]
    fn folders_are_a_tree_with_the_cards_of_everything_in_them_and_topics_under_their_folder() {
        let topics = [
            topic(&["CS", "Network"], "TCP", 5),
            topic(&["CS", "Network"], "UDP", 2),
            topic(&["CS"], "Database", 4),
            topic(&[], "intro", 1),
            topic(&["java"], "stream", 3),
            topic(&["kotlin"], "stream", 6),
            topic(&["CS", "OS"], "process", 7),
        ];
        assert_eq!(
            shown(&tree(&topics)),
            [
                "CS/ 18",
                "  Network/ 7",
                "    TCP 5",
                "    UDP 2",
                "  Database 4",
                "  OS/ 7",
                "    process 7",
                "intro 1",
                "java/ 3",
                "  stream 3",
                "kotlin/ 6",
                "  stream 6",
            ]
        );
    }

    #[test]
    fn a_deck_without_folders_is_its_topics_as_they_were() {
        let topics = [topic(&[], "network", 12), topic(&[], "db", 3)];
        assert_eq!(shown(&tree(&topics)), ["network 12", "db 3"]);
    }

    #[test]
    fn topics_of_one_name_in_two_folders_are_two() {
        let notes = [
            ("java", "## map?\n\n자바\n"),
            ("kotlin", "## map?\n\n코틀린\n"),
            ("kotlin", "## flatMap?\n\n답\n"),
        ];
        let deck = Deck::from_files(notes.iter().enumerate().map(|(n, (folder, text))| {
            Ok(super::super::NoteFile {
                file: format!("{n}.md"),
                topic: "stream".into(),
                folders: [folder.to_string()].into(),
                bytes: text.as_bytes().to_vec(),
            })
        }));
        let all = deck.topics(&TopicFilter::default());
        assert_eq!(all, [topic(&["java"], "stream", 1), topic(&["kotlin"], "stream", 2)]);
        assert_eq!(
            deck.topics(&TopicFilter::new(&["KOTLIN"])),
            [topic(&["kotlin"], "stream", 2)]
        );
    }
}
